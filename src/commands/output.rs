//! Writing `--output FILE` like a normal program: what is at the path keeps being what
//! it was. A regular file is replaced whole (written beside it, then moved into place,
//! so a failed command leaves the previous content) and keeps its mode and owner; a
//! read-only file is refused; a symbolic link is written through, to its target; a
//! device or FIFO is written into, never replaced by a file.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Output being written; [`Output::finish`] flushes it and moves a file into place.
pub struct Output {
    pub writer: BufWriter<Box<dyn Write>>,
    /// A temporary file and the path it replaces when finished.
    target: Option<(PathBuf, PathBuf)>,
}

impl Output {
    /// Standard output.
    pub fn stdout() -> Output {
        Output { writer: BufWriter::new(Box::new(std::io::stdout().lock())), target: None }
    }

    /// Nowhere: what is written is dropped.
    pub fn sink() -> Output {
        Output { writer: BufWriter::new(Box::new(std::io::sink())), target: None }
    }

    /// The file at `path`, as the module says.
    pub fn file(path: &Path) -> Result<Output> {
        let shown = path.display();
        let cannot = |e: std::io::Error| {
            Error::failed(crate::tr!(
                "{shown}: cannot write: {why}",
                "{shown}: kan inte skriva: {why}",
                why = crate::error::io_reason(&e)
            ))
        };
        // Through a symbolic link to what it names (even when that does not exist yet).
        let target = resolve_links(path).map_err(cannot)?;
        match std::fs::metadata(&target) {
            Ok(meta) if !meta.is_file() => {
                if meta.is_dir() {
                    return Err(Error::failed(crate::tr!(
                        "{shown}: is a folder, not a file",
                        "{shown}: är en mapp, inte en fil"
                    )));
                }
                // A device, FIFO or socket: write into it, as any program would.
                let file = OpenOptions::new().write(true).open(&target).map_err(cannot)?;
                Ok(Output { writer: Named::boxed(file, path), target: None })
            }
            Ok(meta) => {
                if read_only(&meta) {
                    return Err(Error::failed(crate::tr!(
                        "{shown}: the file is read-only; nothing was written",
                        "{shown}: filen är skrivskyddad; inget skrevs"
                    ))
                    .hint(crate::tr!(
                        "make it writable, or write to another file",
                        "gör den skrivbar, eller skriv till en annan fil"
                    )));
                }
                let (temp, file) = temp_beside(&target, Some(&meta)).map_err(cannot)?;
                Ok(Output { writer: Named::boxed(file, path), target: Some((temp, target)) })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let (temp, file) = temp_beside(&target, None).map_err(cannot)?;
                Ok(Output { writer: Named::boxed(file, path), target: Some((temp, target)) })
            }
            Err(e) => Err(cannot(e)),
        }
    }

    pub fn finish(mut self) -> Result<()> {
        self.writer.flush()?;
        if let Some((temp, path)) = self.target.take() {
            std::fs::rename(&temp, &path).map_err(|e| {
                let _ = std::fs::remove_file(&temp);
                Error::failed(crate::tr!(
                    "{}: cannot write: {why}",
                    "{}: kan inte skriva: {why}",
                    path.display(),
                    why = crate::error::io_reason(&e)
                ))
            })?;
        }
        Ok(())
    }
}

/// A file whose write errors name it: `/dev/full: cannot write: No space left on device`.
struct Named {
    file: File,
    path: PathBuf,
}

impl Named {
    fn boxed(file: File, path: &Path) -> BufWriter<Box<dyn Write>> {
        BufWriter::new(Box::new(Named { file, path: path.to_path_buf() }))
    }

    fn name(&self, e: std::io::Error) -> std::io::Error {
        std::io::Error::new(
            e.kind(),
            crate::tr!(
                "{}: cannot write: {why}",
                "{}: kan inte skriva: {why}",
                self.path.display(),
                why = crate::error::io_reason(&e)
            ),
        )
    }
}

impl Write for Named {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf).map_err(|e| self.name(e))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush().map_err(|e| self.name(e))
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if let Some((temp, _)) = &self.target {
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// The path a chain of symbolic links ends at (the path itself when it is no link).
fn resolve_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                let base = current.parent().unwrap_or(Path::new("."));
                current = if link.is_absolute() { link } else { base.join(link) };
            }
            _ => return Ok(current),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// Whether nobody may write the file. Checked on its mode bits, since root may write
/// any file and would otherwise overwrite one its owner made read-only.
#[cfg(unix)]
fn read_only(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o222 == 0
}

#[cfg(not(unix))]
fn read_only(meta: &std::fs::Metadata) -> bool {
    meta.permissions().readonly()
}

/// A new file beside `target` to write into, with the mode and owner of the file it
/// will replace (when there is one).
fn temp_beside(target: &Path, replaces: Option<&std::fs::Metadata>) -> std::io::Result<(PathBuf, File)> {
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = target.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "output".into());
    let temp = dir.join(format!(".{name}.spets-{}", std::process::id()));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if let Some(meta) = replaces {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(meta.permissions().mode() & 0o7777);
    }
    let _ = std::fs::remove_file(&temp);
    let file = options.open(&temp)?;
    #[cfg(unix)]
    if let Some(meta) = replaces {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        // The umask narrowed the mode at creation; the owner needs root to change, and
        // is kept when spets may (a user replacing their own file keeps it anyway).
        file.set_permissions(std::fs::Permissions::from_mode(meta.permissions().mode() & 0o7777))?;
        let _ = std::os::unix::fs::fchown(&file, Some(meta.uid()), Some(meta.gid()));
    }
    Ok((temp, file))
}
