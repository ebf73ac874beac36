//! Protection spaces seen so far and their sessions, so later requests
//! answer before being asked (Digest counts `nc` up on the same nonce).
//!
//! The table is bounded: a server (or many host names) answering each
//! request with a new realm would otherwise grow it without limit, each
//! space holding a session. Past [`MAX_SPACES`] in all, or
//! [`MAX_SPACES_PER_ORIGIN`] for one origin, the least recently used space
//! is forgotten; a request to it later pays one challenge round trip.
//! Spaces are kept by origin, so a lookup hashes the origin and scans at
//! most [`MAX_SPACES_PER_ORIGIN`] entries.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use authscheme::{ClientCredentials, ClientSession, Role};

/// A session shared by the requests that go to its space.
pub(crate) type SharedSession = Arc<Session>;

/// A space's session, with the credentials it was started with: a later
/// challenge of the same space is ranked with them as the first one was.
#[derive(Debug)]
pub(crate) struct Session {
    pub(crate) credentials: ClientCredentials,
    pub(crate) state: Mutex<Box<dyn ClientSession>>,
}

impl Session {
    pub(crate) fn new(
        credentials: ClientCredentials,
        state: Box<dyn ClientSession>,
    ) -> SharedSession {
        Arc::new(Self {
            credentials,
            state: Mutex::new(state),
        })
    }
}

/// How many spaces the table keeps in all.
pub(crate) const MAX_SPACES: usize = 1024;

/// How many spaces the table keeps for one origin (both roles). A server
/// has a space per scheme and realm it asks for; a legitimate one needs
/// far fewer.
pub(crate) const MAX_SPACES_PER_ORIGIN: usize = 64;

/// Identifies a protection space: role, origin (`scheme://host:port`),
/// scheme (lower case) and realm (its octets: it need not be UTF-8).
///
/// For a proxy the origin is that of the request the proxy challenged:
/// its credentials are sent before being asked only to that origin, never
/// to requests that may not go through the proxy at all.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct SpaceKey {
    pub(crate) role: Role,
    pub(crate) origin: String,
    pub(crate) scheme: String,
    pub(crate) realm: Vec<u8>,
}

#[derive(Debug)]
struct Space {
    key: Arc<SpaceKey>,
    /// Requests at or below this path reuse an origin server's session
    /// (RFC 7617 section 2.2's rule, which Digest clients follow too). A
    /// proxy's space covers every path of its origin.
    path_prefix: String,
    session: SharedSession,
    /// When it was last found or recorded: its key in `Table::by_use`.
    used: u64,
}

impl Space {
    fn covers(&self, role: Role, path: &str) -> bool {
        self.key.role == role && (role == Role::Proxy || path.starts_with(&self.path_prefix))
    }
}

#[derive(Debug, Default)]
struct Table {
    /// The spaces of each origin.
    by_origin: HashMap<String, Vec<Space>>,
    /// Every space by when it was last used, least recent first.
    by_use: BTreeMap<u64, Arc<SpaceKey>>,
    /// The next use's stamp.
    clock: u64,
}

impl Table {
    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    /// Takes the space `key` out, if it is there.
    fn take(&mut self, key: &SpaceKey) -> Option<Space> {
        let spaces = self.by_origin.get_mut(&key.origin)?;
        let i = spaces.iter().position(|s| *s.key == *key)?;
        let space = spaces.swap_remove(i);
        if spaces.is_empty() {
            self.by_origin.remove(&key.origin);
        }
        self.by_use.remove(&space.used);
        Some(space)
    }
}

/// Every known space, bounded (see the module's documentation).
#[derive(Debug)]
pub(crate) struct Spaces {
    table: Mutex<Table>,
    max: usize,
    max_per_origin: usize,
}

impl Default for Spaces {
    fn default() -> Self {
        Self::with_limits(MAX_SPACES, MAX_SPACES_PER_ORIGIN)
    }
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
    /// A table keeping at most `max` spaces, and `max_per_origin` for one
    /// origin (each at least one).
    pub(crate) fn with_limits(max: usize, max_per_origin: usize) -> Self {
        Self {
            table: Mutex::new(Table::default()),
            max: max.max(1),
            max_per_origin: max_per_origin.max(1),
        }
    }

    /// The session to answer a request to `origin` and `path` with
    /// before being challenged, for `role`: the space with the longest
    /// path prefix covering `path`, the most recently used of equals.
    pub(crate) fn find(
        &self,
        role: Role,
        origin: &str,
        path: &str,
    ) -> Option<(Arc<SpaceKey>, SharedSession)> {
        let mut guard = lock(&self.table);
        let table = &mut *guard;
        let stamp = table.clock + 1;
        let spaces = table.by_origin.get_mut(origin)?;
        let best = spaces
            .iter_mut()
            .filter(|s| s.covers(role, path))
            .max_by_key(|s| (s.path_prefix.len(), s.used))?;
        let old = std::mem::replace(&mut best.used, stamp);
        let found = (Arc::clone(&best.key), Arc::clone(&best.session));
        table.clock = stamp;
        table.by_use.remove(&old);
        table.by_use.insert(stamp, Arc::clone(&found.0));
        Some(found)
    }

    /// Records a new session for `key`, first used for `path`, and
    /// forgets the least recently used spaces past the limits.
    pub(crate) fn insert(&self, key: Arc<SpaceKey>, path: &str, session: SharedSession) {
        let mut table = lock(&self.table);
        let path_prefix = match table.take(&key) {
            Some(old) => common_prefix(&old.path_prefix, path).to_owned(),
            None => directory(path).to_owned(),
        };
        let used = table.tick();
        table.by_use.insert(used, Arc::clone(&key));
        let spaces = table.by_origin.entry(key.origin.clone()).or_default();
        spaces.push(Space {
            key,
            path_prefix,
            session,
            used,
        });
        if spaces.len() > self.max_per_origin {
            let oldest = spaces
                .iter()
                .min_by_key(|s| s.used)
                .map(|s| Arc::clone(&s.key));
            if let Some(oldest) = oldest {
                table.take(&oldest);
            }
        }
        while table.by_use.len() > self.max {
            let Some((_, oldest)) = table.by_use.pop_first() else {
                break;
            };
            table.take(&oldest);
        }
    }

    /// Forgets `key` (its credentials were refused).
    pub(crate) fn remove(&self, key: &SpaceKey) {
        lock(&self.table).take(key);
    }

    /// How many spaces are known.
    pub(crate) fn len(&self) -> usize {
        lock(&self.table).by_use.len()
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

    #[derive(Debug)]
    struct Dummy;

    impl ClientSession for Dummy {
        fn authorize(
            &mut self,
            _request: &authscheme::ClientRequest<'_>,
        ) -> Result<authscheme::Credentials<'static>, authscheme::ClientError> {
            Err(authscheme::ClientError::NoUsableChallenge)
        }
    }

    fn session() -> SharedSession {
        Session::new(ClientCredentials::default(), Box::new(Dummy))
    }

    fn key(role: Role, origin: &str, realm: &str) -> Arc<SpaceKey> {
        Arc::new(SpaceKey {
            role,
            origin: origin.to_owned(),
            scheme: "digest".to_owned(),
            realm: realm.as_bytes().to_vec(),
        })
    }

    fn found(spaces: &Spaces, role: Role, origin: &str, path: &str) -> Option<String> {
        spaces
            .find(role, origin, path)
            .map(|(k, _)| String::from_utf8_lossy(&k.realm).into_owned())
    }

    const A: &str = "http://a.test:80";
    const B: &str = "http://b.test:80";

    #[test]
    fn a_proxy_space_answers_only_for_its_origin_but_any_path() {
        let spaces = Spaces::default();
        spaces.insert(key(Role::Proxy, A, "proxy"), "/x/y", session());
        assert_eq!(found(&spaces, Role::Proxy, A, "/"), Some("proxy".into()));
        assert_eq!(found(&spaces, Role::Proxy, A, "/z"), Some("proxy".into()));
        assert_eq!(found(&spaces, Role::Proxy, B, "/x/y"), None);
        assert_eq!(
            found(&spaces, Role::Proxy, "https://a.test:443", "/x/y"),
            None
        );
        assert_eq!(found(&spaces, Role::Origin, A, "/x/y"), None);
    }

    #[test]
    fn the_longest_prefix_wins_then_the_most_recently_used() {
        let spaces = Spaces::default();
        spaces.insert(key(Role::Origin, A, "root"), "/index", session());
        spaces.insert(key(Role::Origin, A, "docs"), "/docs/page", session());
        assert_eq!(
            found(&spaces, Role::Origin, A, "/docs/x"),
            Some("docs".into())
        );
        assert_eq!(
            found(&spaces, Role::Origin, A, "/other"),
            Some("root".into())
        );
        spaces.insert(key(Role::Origin, A, "root2"), "/", session());
        assert_eq!(
            found(&spaces, Role::Origin, A, "/other"),
            Some("root2".into())
        );
        // Finding makes a space the most recently used.
        spaces.insert(key(Role::Origin, A, "root"), "/", session());
        assert_eq!(
            found(&spaces, Role::Origin, A, "/other"),
            Some("root".into())
        );
        assert_eq!(spaces.len(), 3);
    }

    #[test]
    fn the_least_recently_used_space_is_forgotten_past_the_limit() {
        let spaces = Spaces::with_limits(3, 3);
        spaces.insert(key(Role::Origin, A, "1"), "/", session());
        spaces.insert(key(Role::Origin, B, "2"), "/", session());
        spaces.insert(key(Role::Proxy, B, "3"), "/", session());
        // Using 1 makes 2 the least recently used.
        assert!(found(&spaces, Role::Origin, A, "/").is_some());
        spaces.insert(key(Role::Origin, "http://c.test:80", "4"), "/", session());
        assert_eq!(spaces.len(), 3);
        assert_eq!(found(&spaces, Role::Origin, B, "/"), None, "2 forgotten");
        assert_eq!(found(&spaces, Role::Proxy, B, "/"), Some("3".into()));
        assert_eq!(found(&spaces, Role::Origin, A, "/"), Some("1".into()));
        // Recording a known space again does not count it twice.
        spaces.insert(key(Role::Origin, A, "1"), "/a", session());
        assert_eq!(spaces.len(), 3);
        spaces.remove(&key(Role::Proxy, B, "3"));
        assert_eq!(spaces.len(), 2);
        assert_eq!(found(&spaces, Role::Proxy, B, "/"), None);
    }

    #[test]
    fn one_origin_keeps_at_most_its_share() {
        let spaces = Spaces::with_limits(100, 4);
        spaces.insert(key(Role::Origin, B, "other"), "/", session());
        for n in 0..10 {
            spaces.insert(
                key(Role::Origin, A, &n.to_string()),
                &format!("/{n}/"),
                session(),
            );
        }
        assert_eq!(spaces.len(), 5);
        assert_eq!(found(&spaces, Role::Origin, A, "/5/"), None);
        for n in 6..10 {
            assert_eq!(
                found(&spaces, Role::Origin, A, &format!("/{n}/x")),
                Some(n.to_string())
            );
        }
        assert_eq!(found(&spaces, Role::Origin, B, "/"), Some("other".into()));
    }
}
