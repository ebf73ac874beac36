//! The digest scheme (work in progress).
