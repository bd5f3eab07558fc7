//! The region's municipalities. A project's municipalities are a set over the region's
//! list, kept as a bit mask in list order; that order also breaks ties when an amount
//! is split evenly over them.

use super::text::{fold, nearest};

/// Värmland's 16 municipalities, in alphabetical order as the county lists them.
pub const VARMLAND_MUNICIPALITIES: [&str; 16] = [
    "Arvika",
    "Eda",
    "Filipstad",
    "Forshaga",
    "Grums",
    "Hagfors",
    "Hammarö",
    "Karlstad",
    "Kil",
    "Kristinehamn",
    "Munkfors",
    "Storfors",
    "Sunne",
    "Säffle",
    "Torsby",
    "Årjäng",
];

/// At most this many municipalities fit a region's bit mask.
pub const MAX_MUNICIPALITIES: usize = 62;

/// Finds the municipality named `input` (any case, with or without diacritics, an
/// optional "kommun" suffix) and returns its index in `known`.
pub fn resolve(input: &str, known: &[String]) -> Result<usize, String> {
    let key = fold(input);
    let key = key.strip_suffix(" kommun").unwrap_or(&key);
    known.iter().position(|m| fold(m) == key).ok_or_else(|| match nearest(input, known.iter().map(String::as_str)) {
        Some(n) => crate::tr!("unknown municipality (did you mean {n}?)", "okänd kommun (menade du {n}?)"),
        None => crate::tr!("unknown municipality (known: {})", "okänd kommun (kända: {})", known.join(", ")),
    })
}

/// The region's municipalities with their folded names, for resolving many quickly.
pub struct MunicipalityIndex<'a> {
    known: &'a [String],
    by_name: std::collections::HashMap<String, usize>,
}

impl<'a> MunicipalityIndex<'a> {
    pub fn new(known: &'a [String]) -> MunicipalityIndex<'a> {
        let mut by_name = std::collections::HashMap::new();
        for (i, m) in known.iter().enumerate() {
            by_name.insert(m.clone(), i);
            by_name.insert(fold(m), i);
        }
        MunicipalityIndex { known, by_name }
    }

    /// A `|`-separated list of names as a bit mask.
    pub fn resolve_set<'b, I>(&self, names: I) -> Result<u64, String>
    where
        I: IntoIterator<Item = &'b str>,
    {
        let mut mask = 0u64;
        let mut unresolved: Vec<&str> = Vec::new();
        for name in names.into_iter().filter(|n| !n.trim().is_empty()) {
            match self.by_name.get(name.trim()) {
                Some(i) => mask |= 1 << i,
                None => unresolved.push(name),
            }
        }
        if unresolved.is_empty() {
            return Ok(mask);
        }
        Ok(mask | resolve_set(unresolved, self.known)?)
    }
}

/// Resolves a list of names into a bit mask.
pub fn resolve_set<'a, I>(names: I, known: &[String]) -> Result<u64, String>
where
    I: IntoIterator<Item = &'a str>,
{
    let names: Vec<&str> = names.into_iter().filter(|n| !n.trim().is_empty()).collect();
    let mut mask = 0u64;
    for name in &names {
        // With several names, say which one a problem is about.
        let i = resolve(name, known).map_err(|e| if names.len() > 1 { format!("{name}: {e}") } else { e })?;
        mask |= 1 << i;
    }
    Ok(mask)
}

/// The names in a mask, in list order.
pub fn names(mask: u64, known: &[String]) -> Vec<&str> {
    known.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, m)| m.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<String> {
        VARMLAND_MUNICIPALITIES.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn names_resolve_and_round_trip() {
        let k = known();
        assert_eq!(resolve("säffle", &k), Ok(13));
        assert_eq!(resolve("Saffle", &k), Ok(13));
        assert_eq!(resolve("Karlstads kommun", &k), Err("unknown municipality (did you mean Karlstad?)".into()));
        assert_eq!(resolve("Karlstad kommun", &k), Ok(7));
        assert_eq!(resolve("Arjang", &k), Ok(15));
        assert!(resolve("Oslo", &k).unwrap_err().starts_with("unknown municipality (known: Arvika, Eda,"));
        let mask = resolve_set(["Karlstad", "arvika", ""], &k).unwrap();
        assert_eq!(names(mask, &k), vec!["Arvika", "Karlstad"]);
        assert!(resolve_set(["Göteborg"], &k).unwrap_err().starts_with("unknown municipality"));
        assert!(resolve_set(["Arvika", "Göteborg"], &k).unwrap_err().starts_with("Göteborg: unknown municipality"));
    }
}
