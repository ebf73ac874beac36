//! The basic scheme (work in progress).
