//! Writes a realistic portfolio in the projects CSV format (DESIGN §5), deterministic
//! for a seed: `cargo run --release --example generate -- --projects 1000000 --seed 7 > big.csv`.
//!
//! Projects have one to three areas with shares, several funder kinds, some lines in
//! EUR, dates 2015–2027, titles with commas and quotes, municipalities and partners,
//! pre-studies and top-ups of earlier projects. With `--flat`, the areas are written
//! as `area1,share1,area2,share2,area3,share3` columns instead (for the sqlite3 CLI
//! baseline of the benchmark, which has no way to split a cell).
//!
//! With `--kohesio`, it writes Kohesio's list of operations instead (the 30 columns of
//! the built-in `kohesio` rules): Värmland's rows and one in ten of a neighbouring
//! county, each with a category of intervention or a keyword that places it in an area,
//! amounts in SEK, dates in either of the list's formats. `--kohesio-own` writes the same
//! projects as `spets import --rules kohesio` makes of them, in the projects CSV: the
//! two imports give the same database, so their times compare the reading alone.

use std::io::{BufWriter, Write};

use spets::domain::area::VARMLAND_AREAS;
use spets::domain::municipality::VARMLAND_MUNICIPALITIES as MUNICIPALITIES;
use spets::domain::org::check_digit;

/// splitmix64: small, fast, and the same numbers on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const KINDS: [&str; 12] = [
    "university",
    "research-institute",
    "cluster",
    "science-park",
    "incubator",
    "testbed",
    "financing",
    "company",
    "company",
    "company",
    "municipality",
    "other",
];
const WORDS: [&str; 16] = [
    "Digital",
    "hållbar",
    "cirkulär",
    "smart",
    "fossilfri",
    "innovation",
    "samverkan",
    "testbädd",
    "kompetens",
    "förpackning",
    "solel",
    "vård",
    "spel",
    "livsmedel",
    "turism",
    "industri",
];
const PROGRAMMES: [(&str, &str); 4] = [
    ("ERUF Norra Mellansverige 2021–2027", "ERUF"),
    ("ERUF Norra Mellansverige 2014–2020", "ERUF"),
    ("Interreg Sverige-Norge 2021–2027", "Interreg"),
    ("Regionala utvecklingsmedel", "regional"),
];
const STATUSES: [&str; 10] =
    ["closed", "closed", "closed", "ongoing", "ongoing", "granted", "applied", "prioritised", "rejected", "withdrawn"];

fn luhn(base: u64) -> String {
    let digits: Vec<u32> = format!("{base:09}").chars().filter_map(|c| c.to_digit(10)).collect();
    let text: String = digits.iter().map(|d| char::from(b'0' + *d as u8)).collect();
    format!("{}-{}{}", &text[..6], &text[6..], check_digit(&digits))
}

fn money(ore: u64) -> String {
    format!("{}.{:02}", ore / 100, ore % 100)
}

fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

fn main() {
    let mut projects: u64 = 1000;
    let mut seed: u64 = 7;
    let mut flat = false;
    let mut kohesio = None;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--projects" => projects = args.get(i + 1).and_then(|v| v.parse().ok()).unwrap_or(projects),
            "--seed" => seed = args.get(i + 1).and_then(|v| v.parse().ok()).unwrap_or(seed),
            "--flat" => {
                flat = true;
                i -= 1;
            }
            "--kohesio" | "--kohesio-own" => {
                kohesio = Some(args[i] == "--kohesio-own");
                i -= 1;
            }
            other => {
                eprintln!(
                    "generate: unknown argument {other} (expected --projects N --seed S [--flat | --kohesio | --kohesio-own])"
                );
                std::process::exit(2);
            }
        }
        i += 2;
    }
    if let Some(own) = kohesio {
        return finish(kohesio_list(projects, seed, own));
    }
    let mut rng = Rng(seed);
    let orgs = (projects / 200).clamp(50, 20_000);
    let org = |n: u64| -> (String, String, &'static str) {
        let kind = KINDS[(n % KINDS.len() as u64) as usize];
        let name = match kind {
            "university" => format!("Lärosäte {n}"),
            "municipality" => format!("Kommun {n}"),
            "company" => format!("Företag {n} AB"),
            other => format!("{} {n}", other.replace('-', " ")),
        };
        (name, luhn(556_000_000 + n * 7), kind)
    };
    let out = std::io::stdout();
    let mut w = BufWriter::with_capacity(1 << 20, out.lock());
    let area_header = if flat { "area1,share1,area2,share2,area3,share3" } else { "areas" };
    let result = (|| -> std::io::Result<()> {
        writeln!(
            w,
            "ref,title,owner,owner_org_no,owner_kind,kind,parent,programme,fund,status,decided,start,end,municipalities,{area_header},partners,eu,state,region,municipality,university,private,other,currency,rate,notes"
        )?;
        // Whether each of the last ten projects is a top-up: a top-up tops up a project,
        // never another top-up.
        let mut top_up = [false; 10];
        for n in 0..projects {
            let reference = format!("{}-{:07}", 2015 + n % 13, n);
            let mut title = format!("{} {} {}", rng.pick(&WORDS), rng.pick(&WORDS), rng.pick(&WORDS));
            match rng.below(10) {
                0 => title.push_str(", fas 2"),
                1 => title = format!("\"{title}\" i Värmland"),
                _ => {}
            }
            let (owner, org_no, owner_kind) = org(rng.below(orgs));
            let parent_is_top_up = top_up[(n % 10) as usize];
            let (kind, parent) = match rng.below(100) {
                0..=2 if n > 10 && !parent_is_top_up => ("top-up", format!("{}-{:07}", 2015 + (n - 10) % 13, n - 10)),
                3..=8 => ("pre-study", String::new()),
                _ => ("project", String::new()),
            };
            top_up[(n % 10) as usize] = kind == "top-up";
            let (programme, fund) = *rng.pick(&PROGRAMMES);
            let year = 2015 + rng.below(13);
            let decided = format!("{year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28));
            let months = 6 + rng.below(36);
            let start_month = 1 + rng.below(12);
            let start = format!("{year}-{start_month:02}-01");
            let end_month = start_month + months;
            let end = format!("{}-{:02}-28", year + (end_month - 1) / 12, (end_month - 1) % 12 + 1);
            let mut munis: Vec<&str> = (0..rng.below(4)).map(|_| *rng.pick(&MUNICIPALITIES)).collect();
            munis.sort_by_key(|m| MUNICIPALITIES.iter().position(|x| x == m));
            munis.dedup();
            let count = 1 + rng.below(3) as usize;
            let first = rng.below(7) as usize;
            let picked: Vec<&str> = (0..count).map(|k| VARMLAND_AREAS[(first + k * 2) % 7].code).collect();
            let shares: Vec<u64> = match count {
                1 => vec![100],
                2 => {
                    let a = *rng.pick(&[50, 60, 70, 75, 80]);
                    vec![a, 100 - a]
                }
                _ => vec![40, 35, 25],
            };
            let areas_cell = if flat {
                (0..3)
                    .map(|k| match picked.get(k) {
                        Some(a) => format!("{a},{}", shares[k]),
                        None => ",".to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            } else if count == 1 {
                picked[0].to_string()
            } else {
                picked.iter().zip(&shares).map(|(a, s)| format!("{a}:{s}")).collect::<Vec<_>>().join("|")
            };
            let partners: Vec<String> =
                (0..rng.below(3)).map(|_| org(rng.below(orgs)).0).filter(|p| *p != owner).collect();
            let mut partners_dedup = partners.clone();
            partners_dedup.sort();
            partners_dedup.dedup();
            let total = (50_000 + rng.below(30_000_000)) * 100 + rng.below(100);
            let eur = fund == "Interreg";
            let eu = total * 4 / 10;
            let region = total * 2 / 10;
            let municipality = if rng.below(2) == 0 { total / 10 } else { 0 };
            let private = total - eu - region - municipality;
            let amounts = [
                money(eu),
                String::new(),
                money(region),
                if municipality > 0 { money(municipality) } else { String::new() },
                String::new(),
                money(private),
                String::new(),
            ];
            let (currency, rate) = if eur { ("EUR", "11.4525") } else { ("", "") };
            writeln!(
                w,
                "{reference},{},{},{org_no},{owner_kind},{kind},{parent},{programme},{fund},{},{decided},{start},{end},{},{areas_cell},{},{},{currency},{rate},",
                quote(&title),
                quote(&owner),
                STATUSES[rng.below(10) as usize],
                munis.join("|"),
                quote(&partners_dedup.join("|")),
                amounts.join(","),
            )?;
        }
        w.flush()
    })();
    finish(result)
}

fn finish(result: std::io::Result<()>) {
    if let Err(e) = result
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("generate: {e}");
        std::process::exit(1);
    }
}

/// Categories of intervention (2021–2027) and the area the built-in rules give each;
/// code 002 says nothing, and the title's keyword decides.
const CATEGORIES: [(&str, &str, &str); 5] = [
    ("048", "Renewable energy: solar", "solel"),
    ("049", "Renewable energy: biomass", "skog"),
    ("019", "e-Health services and applications", "halsa"),
    ("166", "Protection, development and promotion of cultural heritage", "plats"),
    ("002", "Investment in fixed assets in SMEs", "spel"),
];

/// `--kohesio` (`own` false) or `--kohesio-own`: see the module comment.
fn kohesio_list(projects: u64, seed: u64, own: bool) -> std::io::Result<()> {
    let mut rng = Rng(seed);
    let orgs = (projects / 200).clamp(50, 20_000);
    let out = std::io::stdout();
    let mut w = BufWriter::with_capacity(1 << 20, out.lock());
    if own {
        writeln!(w, "ref,title,owner,programme,fund,status,start,end,areas,eu,other,source,source_id")?;
    } else {
        writeln!(
            w,
            "Operation_Unique_Identifier,Operation_Local_Identifier,Operation_Name_English,Operation_Name_Programme_Language,Country,Postal_Code,Operation_Start_Date,Operation_End_Date,Cofinancing_Rate,Total_Eligible_Expenditure_amount,Total_Eligible_Expenditure_Currency,Project_EU_Budget,Beneficiary_Unique_Identifier,Location_Indicator_latitude_longitude,Category_Of_Intervention,Category_Label,Thematic_Objective_ID,Thematic_Objective_Label,Policy_Objective_ID,Policy_Objective_Label,Fund_Code,Fund_Name,Programme_Code,Programme_Name,Region,NUTS3_Code,Programming_Period,Operation_Summary_English,Operation_Summary_Programme_Language,ManagingAuthority"
        )?;
    }
    let programme = "ERUF Norra Mellansverige 2021–2027";
    for n in 0..projects {
        let uid = format!("SE_ERDF_2021SE16FFPR002_{n:07}");
        let local = format!("2021{n:07}");
        let (code, label, area) = *rng.pick(&CATEGORIES);
        let title = if code == "002" {
            format!("Dataspel för {} {}", rng.pick(&WORDS), rng.pick(&WORDS))
        } else {
            format!("{} {} {}, etapp {}", rng.pick(&WORDS), rng.pick(&WORDS), rng.pick(&WORDS), 1 + rng.below(3))
        };
        let beneficiary = format!("SE556{:07}", rng.below(orgs));
        let year = 2021 + rng.below(6);
        let (month, months) = (1 + rng.below(12), 6 + rng.below(36));
        let end_month = month + months;
        let (end_year, end_month) = (year + (end_month - 1) / 12, (end_month - 1) % 12 + 1);
        let total = (50_000 + rng.below(30_000_000)) * 100 + rng.below(100);
        let eu = total * 4 / 10;
        let elsewhere = rng.below(10) == 0;
        if own {
            if elsewhere {
                continue;
            }
            writeln!(
                w,
                "{local},{},{beneficiary},{programme},ERUF,granted,{year}-{month:02}-01,{end_year}-{end_month:02}-28,{area},{},{},kohesio,{uid}",
                quote(&title),
                money(eu),
                money(total - eu),
            )?;
        } else {
            let (start, end) = if n % 2 == 0 {
                (format!("{year}-{month:02}-01"), format!("{end_year}-{end_month:02}-28"))
            } else {
                (format!("01/{month:02}/{year}"), format!("28/{end_month:02}/{end_year}"))
            };
            let (region, nuts3) = if elsewhere { ("Dalarnas län", "SE312") } else { ("Värmlands län", "SE311") };
            writeln!(
                w,
                "{uid},{local},{},{},SE,651 84,{start},{end},40.00,{},SEK,{},{beneficiary},\"59.3793,13.5036\",{code},{},,,PO1,A more competitive and smarter Europe,ERDF,European Regional Development Fund,2021SE16FFPR002,{programme},{region},{nuts3},2021-2027,,,Tillväxtverket",
                quote(&title),
                quote(&title),
                money(total),
                money(eu),
                quote(label),
            )?;
        }
    }
    w.flush()
}
