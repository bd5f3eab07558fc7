//! Reading CSV files as finance staff save them: UTF-8 with or without a BOM, or
//! Windows-1252 when asked; `,` or `;` detected from the header; CRLF or LF. A record
//! longer than [`MAX_RECORD`] stops the read with a clear error, so a hostile file
//! cannot make memory grow with its size.

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::dialect::restore_cell;
use super::{Record, RowError};

/// The longest record read, in bytes.
pub const MAX_RECORD: u64 = 1 << 20;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    #[default]
    Utf8,
    Windows1252,
}

/// Where the line breaks are in the part of the input not yet handed out as records,
/// so a record's line number can be told exactly (the CSV parser counts blank lines
/// before a record as part of it).
#[derive(Default)]
struct Breaks {
    /// Offsets of `\n` and `\r` bytes at or after `from`, with the byte.
    pending: VecDeque<(u64, u8)>,
    /// `\n` bytes before the first pending one.
    newlines_before: u64,
}

impl Breaks {
    /// The line of the first byte at or after `offset` that is not a line break.
    fn line_at(&mut self, offset: u64) -> u64 {
        while self.pending.front().is_some_and(|(o, _)| *o < offset) {
            if let Some((_, b'\n')) = self.pending.pop_front() {
                self.newlines_before += 1;
            }
        }
        let newlines =
            (offset..).zip(&self.pending).take_while(|(at, (o, _))| o == at).filter(|(_, (_, b))| *b == b'\n').count()
                as u64;
        self.newlines_before + newlines + 1
    }
}

/// Counts bytes pulled since the last record, refuses to go past the limit, and notes
/// where the line breaks are.
struct Guard<R> {
    inner: R,
    since_record: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
    breaks: Arc<Mutex<Breaks>>,
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.since_record.load(Ordering::Relaxed) > MAX_RECORD + (64 << 10) {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "record too long"));
        }
        let n = self.inner.read(buf)?;
        let start = self.total.load(Ordering::Relaxed);
        if let Ok(mut breaks) = self.breaks.lock() {
            for (i, b) in buf[..n].iter().enumerate() {
                if *b == b'\n' || *b == b'\r' {
                    breaks.pending.push_back((start + i as u64, *b));
                }
            }
        }
        self.since_record.fetch_add(n as u64, Ordering::Relaxed);
        self.total.store(start + n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// An open CSV input with its header.
pub struct CsvInput {
    reader: csv::Reader<Box<dyn Read + Send>>,
    record: csv::ByteRecord,
    since_record: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
    breaks: Arc<Mutex<Breaks>>,
    /// Bytes before the parser's first byte (a byte order mark it never sees).
    skipped: u64,
    /// The header's names, trimmed and lowercased (spets's own formats).
    pub header: Vec<String>,
    /// The header's names as written, trimmed (import rules name them so).
    pub written_header: Vec<String>,
    pub delimiter: u8,
    finished: bool,
    /// A record read ahead by [`CsvInput::is_empty`].
    peeked: Option<Option<Result<Record, RowError>>>,
}

/// Picks `;` when the header has more of them than commas, outside quotes.
fn detect_delimiter(line: &[u8]) -> u8 {
    let (mut commas, mut semis, mut quoted) = (0, 0, false);
    for b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semis += 1,
            _ => {}
        }
    }
    if semis > commas { b';' } else { b',' }
}

impl CsvInput {
    /// Opens `source` read as `encoding`. The header line is read here; an empty input,
    /// a header that is not valid text, or one longer than the limit is an error.
    pub fn new(source: Box<dyn Read + Send>, encoding: Encoding) -> Result<CsvInput, RowError> {
        CsvInput::open(source, encoding, None, 0)
    }

    /// Like [`CsvInput::new`], with the delimiter given (else detected) and `skip` lines
    /// above the header left out (still counted in line numbers).
    pub fn open(
        source: Box<dyn Read + Send>,
        encoding: Encoding,
        delimiter: Option<u8>,
        skip: usize,
    ) -> Result<CsvInput, RowError> {
        let since_record = Arc::new(AtomicU64::new(0));
        let total = Arc::new(AtomicU64::new(0));
        let decoded: Box<dyn Read + Send> = match encoding {
            Encoding::Utf8 => source,
            Encoding::Windows1252 => Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(encoding_rs::WINDOWS_1252))
                    .bom_sniffing(true)
                    .build(source),
            ),
        };
        let breaks = Arc::new(Mutex::new(Breaks::default()));
        let guarded =
            Guard { inner: decoded, since_record: since_record.clone(), total: total.clone(), breaks: breaks.clone() };
        let mut buffered = BufReader::with_capacity(64 << 10, guarded);
        // Read the header line to detect the delimiter, then put it back in front.
        let mut first = Vec::new();
        let mut skipped = 0;
        for line in 0..=skip {
            first.clear();
            let n = buffered.by_ref().take(MAX_RECORD).read_until(b'\n', &mut first).map_err(|e| read_error(1, &e))?;
            if line < skip {
                skipped += n as u64;
            }
        }
        if first.starts_with(b"\xef\xbb\xbf") {
            first.drain(..3);
            skipped += 3;
        }
        if first.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(RowError::whole(
                1,
                crate::tr!(
                    "the file is empty: expected a header line naming the columns",
                    "filen är tom: väntade en rubrikrad som namnger kolumnerna"
                ),
            ));
        }
        if !first.ends_with(b"\n") && first.len() as u64 >= MAX_RECORD {
            return Err(RowError::whole(
                1,
                crate::tr!(
                    "the header line is longer than 1 MiB: not a CSV file of spets's formats",
                    "rubrikraden är längre än 1 MiB: inte en CSV-fil i spets format"
                ),
            ));
        }
        let delimiter = delimiter.unwrap_or_else(|| detect_delimiter(&first));
        let source: Box<dyn Read + Send> = Box::new(io::Cursor::new(first).chain(buffered));
        let mut reader =
            csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(source);
        let mut record = csv::ByteRecord::new();
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => {
                return Err(RowError::whole(
                    1,
                    crate::tr!(
                        "the file is empty: expected a header line naming the columns",
                        "filen är tom: väntade en rubrikrad som namnger kolumnerna"
                    ),
                ));
            }
            Err(e) => return Err(csv_error(1, &e)),
        }
        let mut written_header = Vec::with_capacity(record.len());
        for cell in record.iter() {
            let text = std::str::from_utf8(cell).map_err(|_| invalid_utf8(1))?;
            written_header.push(text.trim().trim_start_matches('\u{feff}').to_string());
        }
        let header = written_header.iter().map(|h| h.to_ascii_lowercase()).collect();
        since_record.store(0, Ordering::Relaxed);
        Ok(CsvInput {
            reader,
            record,
            since_record,
            total,
            breaks,
            skipped,
            header,
            written_header,
            delimiter,
            finished: false,
            peeked: None,
        })
    }

    /// Bytes read so far (for a progress bar).
    pub fn bytes_read(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    /// A shared counter of the bytes read so far, for a progress bar on another thread.
    pub fn progress_counter(&self) -> Arc<AtomicU64> {
        self.total.clone()
    }

    /// True when nothing but blank lines follows the header.
    pub fn is_empty(&mut self) -> bool {
        let next = self.next_record();
        let empty = next.is_none();
        self.peeked = Some(next);
        empty
    }

    /// The next record, an error for a bad one (reading goes on), or `None` at the end
    /// or after an error that makes the rest unreadable.
    pub fn next_record(&mut self) -> Option<Result<Record, RowError>> {
        if let Some(peeked) = self.peeked.take() {
            return peeked;
        }
        if self.finished {
            return None;
        }
        let result = self.reader.read_byte_record(&mut self.record);
        let line = match self.record.position() {
            Some(p) => self.breaks.lock().map_or(0, |mut b| b.line_at(p.byte() + self.skipped)),
            None => 0,
        };
        self.since_record.store(0, Ordering::Relaxed);
        match result {
            Ok(false) => None,
            Err(e) => {
                self.finished = true;
                Some(Err(csv_error(line.max(1), &e)))
            }
            Ok(true) => {
                // A blank line, or a row of empty cells as Excel saves one (`;;;;`).
                if self.record.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
                    return self.next_record();
                }
                if self.record.len() != self.header.len() {
                    return Some(Err(RowError::whole(line, self.cell_count_problem())));
                }
                let mut cells = Vec::with_capacity(self.record.len());
                for (i, raw) in self.record.iter().enumerate() {
                    let Ok(text) = std::str::from_utf8(raw) else {
                        return Some(Err(invalid_utf8(line)));
                    };
                    if text.contains('\0') {
                        return Some(Err(RowError::cell(
                            line,
                            &self.header[i],
                            text,
                            crate::tr!("contains a NUL character", "innehåller ett NUL-tecken"),
                        )));
                    }
                    if text.contains('\u{feff}') {
                        return Some(Err(RowError::cell(
                            line,
                            &self.header[i],
                            text,
                            crate::tr!(
                                "contains a byte order mark (U+FEFF): were two files joined?",
                                "innehåller en byte order mark (U+FEFF): har två filer slagits ihop?"
                            ),
                        )));
                    }
                    cells.push(restore_cell(text).to_string());
                }
                Some(Ok(Record { line, cells }))
            }
        }
    }
}

/// A file's records: a CSV file streamed, or a spreadsheet's sheet.
pub enum Input {
    Csv(Box<CsvInput>),
    Sheet(super::sheet::SheetInput),
}

impl Input {
    /// The header's names as written, trimmed.
    pub fn written_header(&self) -> &[String] {
        match self {
            Input::Csv(c) => &c.written_header,
            Input::Sheet(s) => &s.header,
        }
    }

    /// The header's names trimmed and lowercased, as spets's own formats match them.
    pub fn header(&self) -> Vec<String> {
        match self {
            Input::Csv(c) => c.header.clone(),
            Input::Sheet(s) => s.header.iter().map(|h| h.to_ascii_lowercase()).collect(),
        }
    }

    pub fn is_empty(&mut self) -> bool {
        match self {
            Input::Csv(c) => c.is_empty(),
            Input::Sheet(s) => s.is_empty(),
        }
    }

    pub fn next_record(&mut self) -> Option<Result<Record, RowError>> {
        match self {
            Input::Csv(c) => c.next_record(),
            Input::Sheet(s) => s.next_record(),
        }
    }

    /// A shared counter of the bytes read so far (none for a sheet, read at once).
    pub fn progress_counter(&self) -> Arc<AtomicU64> {
        match self {
            Input::Csv(c) => c.progress_counter(),
            Input::Sheet(_) => Arc::new(AtomicU64::new(0)),
        }
    }
}

impl CsvInput {
    /// Why the current record has the wrong number of cells, as far as can be told.
    fn cell_count_problem(&self) -> String {
        let (found, expected, delimiter) = (self.record.len(), self.header.len(), self.delimiter as char);
        let counted = match found {
            1 => crate::tr!("1 cell where the header has {expected}", "1 cell där rubriken har {expected}"),
            _ => crate::tr!(
                "{found} cells where the header has {expected}",
                "{found} celler där rubriken har {expected}"
            ),
        };
        let other = if delimiter == ',' { ';' } else { ',' };
        if self.record.iter().any(|c| c.contains(&b'\n')) {
            crate::tr!(
                "{counted}: a double quote seems never to be closed (the record runs over several lines)",
                "{counted}: ett citattecken verkar aldrig stängas (posten löper över flera rader)"
            )
        } else if found < expected && self.record.iter().any(|c| c.contains(&(other as u8))) {
            crate::tr!(
                "{counted}: this record seems to separate its cells with `{other}`, the header with `{delimiter}`",
                "{counted}: posten verkar skilja sina celler med `{other}`, rubriken med `{delimiter}`"
            )
        } else {
            crate::tr!(
                "{counted} (a `{delimiter}` inside a cell must be in double quotes)",
                "{counted} (ett `{delimiter}` i en cell måste stå inom citattecken)"
            )
        }
    }
}

/// What a line that is not UTF-8 says; the hint to try Windows-1252 is given once, for
/// the whole file, not once per line.
pub fn not_utf8() -> String {
    crate::tr!("not valid UTF-8 text", "inte giltig UTF-8-text")
}

fn invalid_utf8(line: u64) -> RowError {
    RowError::whole(line, not_utf8())
}

fn read_error(line: u64, e: &io::Error) -> RowError {
    if e.kind() == io::ErrorKind::InvalidData {
        RowError::whole(
            line,
            crate::tr!(
                "a record longer than 1 MiB (an unclosed double quote, or not a CSV file of spets's formats)",
                "en post längre än 1 MiB (ett citattecken som inte stängs, eller inte en CSV-fil i spets format)"
            ),
        )
    } else {
        RowError::whole(line, crate::tr!("cannot read the file: {e}", "kan inte läsa filen: {e}"))
    }
}

fn csv_error(line: u64, e: &csv::Error) -> RowError {
    match e.kind() {
        csv::ErrorKind::Io(io) => read_error(line, io),
        _ => RowError::whole(line, crate::tr!("not readable as CSV: {e}", "går inte att läsa som CSV: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(bytes: &[u8], encoding: Encoding) -> Result<CsvInput, RowError> {
        CsvInput::new(Box::new(io::Cursor::new(bytes.to_vec())), encoding)
    }

    fn all(mut i: CsvInput) -> Vec<Result<Vec<String>, String>> {
        let mut out = Vec::new();
        while let Some(r) = i.next_record() {
            out.push(r.map(|r| r.cells).map_err(|e| e.render("f.csv")));
        }
        out
    }

    #[test]
    fn detects_delimiter_and_strips_bom() {
        let i = input("\u{feff}Ref;Title\r\n1;\"a;b\"\r\n".as_bytes(), Encoding::Utf8).unwrap();
        assert_eq!(i.header, vec!["ref", "title"]);
        assert_eq!(i.delimiter, b';');
        assert_eq!(all(i), vec![Ok(vec!["1".to_string(), "a;b".to_string()])]);
    }

    #[test]
    fn windows_1252_decodes_swedish_letters() {
        let i = input(b"ref,title\n1,R\xe4ksm\xf6rg\xe5s\n", Encoding::Windows1252).unwrap();
        assert_eq!(all(i), vec![Ok(vec!["1".to_string(), "Räksmörgås".to_string()])]);
        let i = input(b"ref,title\n1,R\xe4ksm\xf6rg\xe5s\n", Encoding::Utf8).unwrap();
        assert_eq!(all(i), vec![Err("f.csv:2: not valid UTF-8 text".to_string())]);
    }

    #[test]
    fn bad_rows_are_reported_and_reading_goes_on() {
        let i = input(b"a,b\n1\n2,3\n\n4,5\0\n", Encoding::Utf8).unwrap();
        let rows = all(i);
        assert_eq!(
            rows[0],
            Err("f.csv:2: 1 cell where the header has 2 (a `,` inside a cell must be in double quotes)".into())
        );
        assert_eq!(rows[1], Ok(vec!["2".to_string(), "3".to_string()]));
        assert_eq!(rows[2], Err("f.csv:5: b: \"5\\0\": contains a NUL character".into()));
    }

    #[test]
    fn line_numbers_count_blank_lines_and_line_breaks_inside_cells() {
        let i = input("\u{feff}a,b\r\n\r\n1,\"x\ny\"\n\n\n2,3\r\n4\n".as_bytes(), Encoding::Utf8).unwrap();
        let mut i = i;
        let mut lines = Vec::new();
        while let Some(r) = i.next_record() {
            lines.push(match r {
                Ok(r) => r.line,
                Err(e) => e.line,
            });
        }
        assert_eq!(lines, vec![3, 7, 8]);
    }

    #[test]
    fn empty_and_overlong_inputs_are_refused() {
        assert_eq!(
            input(b"", Encoding::Utf8).err().unwrap().render("f.csv"),
            "f.csv:1: the file is empty: expected a header line naming the columns"
        );
        let long = vec![b'x'; (MAX_RECORD + 10) as usize];
        assert!(input(&long, Encoding::Utf8).err().unwrap().render("f.csv").contains("longer than 1 MiB"));
        let mut body = b"a,b\n1,\"".to_vec();
        body.extend(vec![b'y'; (MAX_RECORD * 2) as usize]);
        let rows = all(input(&body, Encoding::Utf8).unwrap());
        assert_eq!(rows.len(), 1);
        assert!(rows[0].as_ref().unwrap_err().contains("a record longer than 1 MiB"), "{rows:?}");
    }

    #[test]
    fn neutralised_cells_are_restored() {
        let i = input(b"a\n'=SUM(A1)\n", Encoding::Utf8).unwrap();
        assert_eq!(all(i), vec![Ok(vec!["=SUM(A1)".to_string()])]);
    }
}
