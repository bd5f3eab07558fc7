//! The reliability suite (issue 7): hostile input, crashes, concurrent users and
//! database faults lose nothing, and every failure says clearly what happened.

#[path = "../common/mod.rs"]
mod common;

mod concurrency;
mod crash;
mod fuzz;
