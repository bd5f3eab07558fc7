//! spets: a region's smart-specialisation portfolio in SQLite or on a PostgreSQL server.
//!
//! `cli` parses, `commands` glue, `store` is the only code that knows the database
//! engines (commands read through its `View` and write through its `Change`; its
//! `db` module runs the one set of queries on either engine), `import`
//! is the import engine, `report` computes report values, `render` formats them,
//! `formats` reads and writes the files, and `domain` holds the pure types and rules
//! everything else builds on.

pub mod cli;
pub mod commands;
pub mod domain;
pub mod error;
pub mod formats;
pub mod import;
pub mod render;
pub mod report;
pub mod store;
