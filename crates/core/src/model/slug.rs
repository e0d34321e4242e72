//! File-name slugs for exports: `"US urges China…"` → `us-urges-china`.

/// Longest slug we produce, in characters, so file names stay usable on every OS.
const MAX_SLUG_CHARS: usize = 60;

/// Lowercase letters and digits of any script, other runs collapsed to `-`, trimmed, shortened at
/// a word boundary where possible; `article` when nothing usable is left.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    let mut pending_dash = false;
    for c in title.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(c.to_lowercase());
        } else {
            pending_dash = true;
        }
    }
    if slug.chars().count() > MAX_SLUG_CHARS {
        let cut: String = slug.chars().take(MAX_SLUG_CHARS).collect();
        slug = match cut.rfind('-') {
            Some(dash) if dash > 0 => cut[..dash].to_owned(),
            _ => cut,
        };
    }
    if slug.is_empty() {
        "article".to_owned()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("US urges China to use Iran influence"),
            "us-urges-china-to-use-iran-influence"
        );
        assert_eq!(
            slugify("  China’s   “stance” — 2023!  "),
            "china-s-stance-2023"
        );
        assert_eq!(slugify("北京 会谈"), "北京-会谈");
        assert_eq!(slugify("<img src=x>/../"), "img-src-x");
        assert_eq!(slugify("!!!"), "article");
        assert_eq!(slugify(""), "article");
        let long = slugify(&"word ".repeat(40));
        assert!(long.chars().count() <= 60 && !long.ends_with('-'), "{long}");
    }
}
