//! ASCII slugs for ids and file names: `Update on Landlock: Audit` → `update-on-landlock-audit`.

/// Lowercase ASCII letters and digits joined by single dashes; common Latin accents are folded.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    let push = |f: char, out: &mut String, dash: &mut bool| {
        if *dash && !out.is_empty() {
            out.push('-');
        }
        *dash = false;
        out.push(f.to_ascii_lowercase());
    };
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            push(c, &mut out, &mut dash);
        } else if let Some(folded) = fold(c) {
            for f in folded.chars() {
                push(f, &mut out, &mut dash);
            }
        } else if !(c == '\'' || c == '\u{2019}') {
            dash = true;
        }
    }
    out
}

/// ASCII spelling of common accented Latin letters.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "o",
        'œ' | 'Œ' => "oe",
        'ß' => "ss",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Update on Landlock: Audit, Debugging"),
            "update-on-landlock-audit-debugging"
        );
        assert_eq!(slugify("Mickaël Salaün"), "mickael-salaun");
        assert_eq!(slugify("The maintainer's POV"), "the-maintainers-pov");
        assert_eq!(slugify("day-1/morning.md"), "day-1-morning-md");
        assert_eq!(slugify("日本語"), "");
    }
}
