//! The domain: pure types and rules, no I/O. Money, areas and shares, organisations,
//! projects and their financing, municipalities, dates, and exact allocation.

pub mod allocation;
pub mod area;
pub mod checks;
pub mod date;
pub mod difference;
pub mod figures;
pub mod filter;
pub mod history;
pub mod indicator;
pub mod lang;
pub mod money;
pub mod municipality;
pub mod org;
pub mod project;
pub mod strategy;
pub mod text;
