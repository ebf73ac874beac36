//! Protection spaces seen so far and their sessions, so later requests
//! answer before being asked (Digest counts `nc` up on the same nonce).

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use authscheme::{ClientSession, Role};

/// A session shared by the requests that go to its space.
pub(crate) type SharedSession = Arc<Mutex<Box<dyn ClientSession>>>;

/// Identifies a protection space: role, origin (empty for a proxy), scheme
/// (lower case) and realm (its octets: it need not be UTF-8).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct SpaceKey {
    pub(crate) role: Role,
    pub(crate) origin: String,
    pub(crate) scheme: String,
    pub(crate) realm: Vec<u8>,
}

#[derive(Debug)]
struct Space {
    key: SpaceKey,
    /// Requests at or below this path reuse the session (RFC 7617 section
    /// 2.2's rule, which Digest clients follow too).
    path_prefix: String,
    session: SharedSession,
}

/// Every known space, most recent last.
#[derive(Debug, Default)]
pub(crate) struct Spaces {
    spaces: Mutex<Vec<Space>>,
}

/// Locks a mutex even if another thread panicked while holding it: the data
/// is a cache of sessions, always safe to keep using or drop.
pub(crate) fn lock<T: ?Sized>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The directory part of a path: `/a/b/c` -> `/a/b/`.
fn directory(path: &str) -> &str {
    path.rfind('/').map_or("/", |i| &path[..=i])
}

fn common_prefix<'a>(a: &'a str, b: &str) -> &'a str {
    let len = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    directory(&a[..len])
}

impl Spaces {
    /// The session to answer a request to `origin` and `path` with
    /// before being challenged, for `role`.
    pub(crate) fn find(
        &self,
        role: Role,
        origin: &str,
        path: &str,
    ) -> Option<(SpaceKey, SharedSession)> {
        let spaces = lock(&self.spaces);
        spaces
            .iter()
            .rev()
            .filter(|s| s.key.role == role)
            .filter(|s| {
                role == Role::Proxy || (s.key.origin == origin && path.starts_with(&s.path_prefix))
            })
            .max_by_key(|s| s.path_prefix.len())
            .map(|s| (s.key.clone(), Arc::clone(&s.session)))
    }

    /// Records a new session for `key`, first used for `path`.
    pub(crate) fn insert(&self, key: SpaceKey, path: &str, session: SharedSession) {
        let mut spaces = lock(&self.spaces);
        let path_prefix = match spaces.iter().position(|s| s.key == key) {
            Some(i) => {
                let old = spaces.remove(i);
                common_prefix(&old.path_prefix, path).to_owned()
            }
            None => directory(path).to_owned(),
        };
        spaces.push(Space {
            key,
            path_prefix,
            session,
        });
    }

    /// Forgets `key` (its credentials were refused).
    pub(crate) fn remove(&self, key: &SpaceKey) {
        lock(&self.spaces).retain(|s| &s.key != key);
    }

    /// How many spaces are known.
    pub(crate) fn len(&self) -> usize {
        lock(&self.spaces).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_and_common_prefix() {
        assert_eq!(directory("/a/b/c"), "/a/b/");
        assert_eq!(directory("/"), "/");
        assert_eq!(directory(""), "/");
        assert_eq!(common_prefix("/a/b/", "/a/c"), "/a/");
        assert_eq!(common_prefix("/docs/", "/docs/x/y"), "/docs/");
    }
}
