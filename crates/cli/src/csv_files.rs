//! Reading and writing the operators' CSV files: UTF-8 (with or without a BOM) or CP932.
//!
//! CP932 is decoded with the WHATWG Shift_JIS decoder, which is Windows-31J: it keeps the NEC
//! and IBM extension kanji such as 髙 (FBFC) and 﨑 (FAB1) that kenpo core systems emit.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use encoding_rs::SHIFT_JIS;
use madoguchi_domain::Lang;

use crate::args::Encoding;
use crate::output::{Failure, tr};

const BOM: &str = "\u{feff}";

/// Decodes a whole file; an undecodable byte is reported with its line number.
pub fn decode(bytes: &[u8], encoding: Encoding, lang: Lang) -> Result<String, Failure> {
    let text = match encoding {
        Encoding::Utf8 => match std::str::from_utf8(bytes) {
            Ok(text) => text.to_owned(),
            Err(e) => {
                let line = bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                return Err(Failure(undecodable(
                    encoding,
                    &tr(lang, format!("{line}行目"), format!("line {line}")),
                    lang,
                )));
            }
        },
        Encoding::Cp932 => {
            let (decoded, had_errors) = SHIFT_JIS.decode_without_bom_handling(bytes);
            if had_errors {
                let line = decoded
                    .lines()
                    .position(|l| l.contains('\u{fffd}'))
                    .map_or(1, |i| i + 1);
                return Err(Failure(undecodable(
                    encoding,
                    &tr(lang, format!("{line}行目"), format!("line {line}")),
                    lang,
                )));
            }
            decoded.into_owned()
        }
    };
    Ok(text.strip_prefix(BOM).map(str::to_owned).unwrap_or(text))
}

/// What is wrong at `place` (a line, a column) when its bytes are not of `encoding`, and how to
/// fix it.
pub fn undecodable(encoding: Encoding, place: &str, lang: Lang) -> String {
    match encoding {
        Encoding::Utf8 => tr(
            lang,
            format!(
                "{place}: UTF-8 として読めません。Shift_JIS（CP932）のファイルなら --encoding cp932 を付けてください。"
            ),
            format!(
                "{place}: not valid UTF-8. For a Shift_JIS (CP932) file, add --encoding cp932."
            ),
        ),
        Encoding::Cp932 => tr(
            lang,
            format!(
                "{place}: CP932（Shift_JIS）として読めない文字があります。ファイルの文字コードを確認してください。"
            ),
            format!("{place}: bytes that are not CP932 (Shift_JIS). Check the file's encoding."),
        ),
    }
}

/// Creates `path` for writing secrets: mode 0600 and `O_EXCL`, so an existing file (another
/// print run's postcards) is never overwritten.
pub fn create_private(path: &Path, lang: Lang) -> Result<File, Failure> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Failure::new(
                lang,
                format!(
                    "{} は既にあります。上書きしないので、別のファイル名を指定してください。",
                    path.display()
                ),
                format!(
                    "{} already exists; it is never overwritten: name another file.",
                    path.display()
                ),
            )
        } else {
            Failure::new(
                lang,
                format!("{} を作成できません: {e}", path.display()),
                format!("cannot create {}: {e}", path.display()),
            )
        }
    })
}

/// Encodes CSV text for the operator's spreadsheet: UTF-8 with a BOM, or CP932. Characters
/// CP932 lacks are reported with their line, and nothing is written.
pub fn encode(text: &str, encoding: Encoding, lang: Lang) -> Result<Vec<u8>, Failure> {
    match encoding {
        Encoding::Utf8 => Ok([BOM.as_bytes(), text.as_bytes()].concat()),
        Encoding::Cp932 => {
            let (bytes, _, had_errors) = SHIFT_JIS.encode(text);
            if !had_errors {
                return Ok(bytes.into_owned());
            }
            let bad: Vec<String> = text
                .lines()
                .enumerate()
                .filter_map(|(i, line)| {
                    let chars: String = line
                        .chars()
                        .filter(|c| SHIFT_JIS.encode(&c.to_string()).2)
                        .collect();
                    (!chars.is_empty()).then(|| format!("{}: {chars}", i + 1))
                })
                .collect();
            Err(Failure::new(
                lang,
                format!(
                    "CP932 で表せない文字があります（行: 文字）。--encoding utf-8 で出力してください。\n{}",
                    bad.join("\n")
                ),
                format!(
                    "some characters have no CP932 code (line: characters); write with --encoding utf-8.\n{}",
                    bad.join("\n")
                ),
            ))
        }
    }
}

/// Writes and syncs the bytes, so the file is on disk before the database commits.
pub fn write_synced(file: &mut File, bytes: &[u8]) -> std::io::Result<()> {
    file.write_all(bytes)?;
    file.sync_all()
}
