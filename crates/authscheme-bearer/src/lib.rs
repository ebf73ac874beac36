//! The bearer scheme (work in progress).
