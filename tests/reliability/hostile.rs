//! Hostile files: each is refused with a clear message, writes nothing, and costs
//! bounded memory (under 100 MiB) and time, however large it is. CRLF is accepted.

use std::io::Write;
use std::time::Duration;

use crate::common::Env;
use crate::measured;

const HEADER: &str = "ref,title,owner,areas,eu\n";
const MEMORY: u64 = 100 << 20;
const TIME: Duration = Duration::from_secs(60);

/// Imports `content` into a database holding one project and checks the refusal:
/// exit 1, exactly `expected` on standard error, nothing written, memory and time bounded.
fn refused(name: &str, content: &[u8], expected: &str) {
    refused_file(name, |file| file.write_all(content), expected);
}

/// [`refused`] for a file written by `write`, so a big one is never all in memory.
fn refused_file(name: &str, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>, expected: &str) {
    let env = Env::with_project();
    let before = env.dump();
    let path = env.path(name);
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("a file"));
    write(&mut file).and_then(|()| file.flush()).expect("write the file");
    drop(file);
    let run = measured(&env.db, &["import", path.to_str().unwrap()]);
    assert_eq!(run.code, Some(1), "{name}: {}", run.stderr);
    assert_eq!(run.stderr, expected.replace("FILE", path.to_str().unwrap()), "{name}");
    assert_eq!(run.stdout, "", "{name}");
    assert_eq!(env.dump(), before, "{name}: the database changed");
    assert!(run.peak_rss < MEMORY, "{name}: peak memory {} MiB", run.peak_rss >> 20);
    assert!(run.elapsed < TIME, "{name}: took {:?}", run.elapsed);
}

fn with_header(rows: &[u8]) -> Vec<u8> {
    let mut file = HEADER.as_bytes().to_vec();
    file.extend_from_slice(rows);
    file
}

const TOO_LONG: &str = "FILE:2: a record longer than 1 MiB (an unclosed double quote, or not a CSV file of spets's formats)\n\
     error: FILE: 1 problem; nothing was imported\n";
const NOT_UTF8: &str = "not valid UTF-8 text";
const TRY_1252: &str = "  hint: a file saved by Excel in Sweden is often Windows-1252: try --encoding windows-1252\n";

#[test]
fn an_empty_file() {
    refused("empty.csv", b"", "error: FILE:1: the file is empty: expected a header line naming the columns\n");
    refused(
        "blank.csv",
        b"\n\r\n  \n",
        "error: FILE:1: the file is empty: expected a header line naming the columns\n",
    );
}

#[test]
fn binary_garbage() {
    let mut x: u64 = 7;
    let garbage: Vec<u8> = (0..1 << 16)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    refused("garbage.bin", &garbage, &format!("error: FILE:1: {NOT_UTF8}\n{TRY_1252}"));
}

#[test]
fn a_header_only() {
    refused("header.csv", HEADER.as_bytes(), "error: FILE: a header but no rows; nothing was imported\n");
}

#[test]
fn a_100_mb_line() {
    let chunk = vec![b'x'; 1 << 20];
    let write = |file: &mut dyn Write| {
        file.write_all(HEADER.as_bytes())?;
        (0..100).try_for_each(|_| file.write_all(&chunk))?;
        file.write_all(b"\n")
    };
    refused_file("line.csv", write, TOO_LONG);
}

#[test]
fn a_10_mb_cell() {
    let chunk = vec![b'y'; 1 << 20];
    let write = |file: &mut dyn Write| {
        file.write_all(HEADER.as_bytes())?;
        file.write_all(b"A1,\"")?;
        (0..10).try_for_each(|_| file.write_all(&chunk))?;
        file.write_all(b"\",Ny AB,skog,100\n")
    };
    refused_file("cell.csv", write, TOO_LONG);
}

#[test]
fn ten_thousand_columns() {
    let mut header = String::from("ref,title,owner,areas,eu");
    for i in 5..10_000 {
        header.push_str(&format!(",x{i}"));
    }
    header.push('\n');
    refused(
        "columns.csv",
        header.as_bytes(),
        "FILE:1: unknown columns \"x5\", \"x6\", \"x7\", \"x8\", \"x9\" and 9990 more (the known columns are: \
         ref, title, owner, owner_org_no, owner_kind, kind, parent, programme, fund, status, decided, start, end, \
         municipalities, areas, partners, eu, state, region, municipality, university, private, other, currency, \
         rate, notes, overrun, source, source_id)\nerror: FILE: 1 problem; nothing was imported\n  \
         hint: a file in another layout is read through import rules: spets rules list\n",
    );
    let mut row = b"A1,T,Ny AB,skog,100".to_vec();
    row.extend(b",z".repeat(9_995));
    row.push(b'\n');
    refused(
        "cells.csv",
        &with_header(&row),
        "FILE:2: 10000 cells where the header has 5 (a `,` inside a cell must be in double quotes)\n\
         error: FILE: 1 problem; nothing was imported\n",
    );
}

#[test]
fn crlf_line_ends_are_accepted() {
    let env = Env::with_project();
    let path = env.write(
        "crlf.csv",
        "ref,title,owner,areas,eu\r\nA1,Ett,Ny AB,skog,100\r\nA2,\"Två\r\nrader\",Ny AB,skog,200\r\n",
    );
    let run = measured(&env.db, &["import", path.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!(
            "{}: 2 rows of projects: added 2, updated 0, unchanged 0; 1 new organisation\nNew organisations: Ny AB (kind not recorded)\n",
            path.display()
        )
    );
    let json = env.ok(&["project", "show", "A2", "--format", "json"]);
    assert!(json.contains(r#""title": "Två\r\nrader""#), "{json}");
}

#[test]
fn a_byte_order_mark_in_the_middle() {
    refused(
        "joined.csv",
        &with_header(b"A1,T,Ny AB,skog,100\n\xef\xbb\xbfA2,T,Ny AB,skog,100\n"),
        "FILE:3: ref: \"\\u{feff}A2\": contains a byte order mark (U+FEFF): were two files joined?\n\
         error: FILE: 1 problem; nothing was imported\n",
    );
}

#[test]
fn an_embedded_nul() {
    refused(
        "nul.csv",
        &with_header(b"A1,T\0x,Ny AB,skog,100\n"),
        "FILE:2: title: \"T\\0x\": contains a NUL character\nerror: FILE: 1 problem; nothing was imported\n",
    );
}

#[test]
fn unbalanced_quotes() {
    refused(
        "quotes.csv",
        &with_header(b"A1,\"T,Ny AB,skog,100\nA2,T,Ny AB,skog,100\n"),
        "FILE:2: 2 cells where the header has 5: a double quote seems never to be closed (the record runs over \
         several lines)\nerror: FILE: 1 problem; nothing was imported\n",
    );
}

#[test]
fn mixed_delimiters() {
    refused(
        "mixed.csv",
        &with_header(b"A1,T,Ny AB,skog,100\nA2;T;Ny AB;skog;100\n"),
        "FILE:3: 1 cell where the header has 5: this record seems to separate its cells with `;`, the header with \
         `,`\nerror: FILE: 1 problem; nothing was imported\n",
    );
}

#[test]
fn invalid_utf8() {
    refused(
        "latin1.csv",
        &with_header(b"A1,V\xe4rmland,Ny AB,skog,100\n"),
        &format!("FILE:2: {NOT_UTF8}\nerror: FILE: 1 problem; nothing was imported\n{TRY_1252}"),
    );
}

/// A file written by a slow producer is read as it comes, never all at once.
#[test]
fn memory_does_not_grow_with_a_large_good_file() {
    let env = Env::with_project();
    let path = env.path("many.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("a file"));
    file.write_all(HEADER.as_bytes()).expect("write");
    for i in 0..200_000 {
        writeln!(file, "M{i},\"Titel {i}, med komma\",Ny AB,skog,{}", 1000 + i).expect("write");
    }
    drop(file);
    let run = measured(&env.db, &["import", path.to_str().unwrap(), "--dry-run"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.peak_rss < MEMORY, "peak memory {} MiB", run.peak_rss >> 20);
}
