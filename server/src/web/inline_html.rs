//! Finds the inline `<script>` and `<style>` elements of a page, whose exact
//! text the Content-Security-Policy must allow by hash.
//!
//! This reads the page Trunk writes, not arbitrary HTML: it knows elements,
//! quoted attribute values and raw-text content, which is all Trunk emits.

/// The text of every `<{tag}>` element of `html` that has no `src`
/// attribute, exactly as it appears between the tags.
pub fn inline_contents<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}");
    let close = format!("</{tag}");
    let lower = html.to_ascii_lowercase();
    let mut contents = Vec::new();
    let mut from = 0;
    while let Some(found) = lower[from..].find(&open) {
        let start = from + found + open.len();
        // `<scripts>` or `<script-x>` is another element.
        if !lower[start..].starts_with(|c: char| c == '>' || c == '/' || c.is_ascii_whitespace()) {
            from = start;
            continue;
        }
        let Some(tag_len) = open_tag_len(&lower[start..]) else {
            break;
        };
        let attributes = &lower[start..start + tag_len];
        let body = start + tag_len + 1;
        let Some(body_len) = lower[body..].find(&close) else {
            break;
        };
        if !has_attribute(attributes, "src") {
            contents.push(&html[body..body + body_len]);
        }
        from = body + body_len + close.len();
    }
    contents
}

/// The length of an open tag's attributes, up to its unquoted `>`.
fn open_tag_len(rest: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn has_attribute(attributes: &str, name: &str) -> bool {
    let mut rest = attributes;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return false;
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        if &rest[..end] == name {
            return true;
        }
        rest = rest[end..].trim_start();
        if let Some(value) = rest.strip_prefix('=') {
            let value = value.trim_start();
            rest = match value.chars().next() {
                Some(q @ ('"' | '\'')) => value[1..].find(q).map_or("", |i| &value[i + 2..]),
                _ => value
                    .find(|c: char| c.is_ascii_whitespace())
                    .map_or("", |i| &value[i..]),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_trunks_bootstrap_but_not_external_scripts() {
        let html = r#"<html><head>
<script src="/app.js" type="module"></script>
<SCRIPT type="module">
import init from '/app-1.js';
const wasm = await init('/app-1_bg.wasm');
</SCRIPT>
<link rel="modulepreload" href="/app-1.js">
</head><body><script data-x="a > b">one()</script></body></html>"#;
        assert_eq!(
            inline_contents(html, "script"),
            vec![
                "\nimport init from '/app-1.js';\nconst wasm = await init('/app-1_bg.wasm');\n",
                "one()",
            ]
        );
    }

    #[test]
    fn attribute_values_are_not_attribute_names() {
        let html = r#"<script data-note="src"></script><script data-src=x>two()</script><script type=module src=/a.js></script>"#;
        assert_eq!(inline_contents(html, "script"), vec!["", "two()"]);
    }

    #[test]
    fn other_elements_and_unclosed_tags_are_skipped() {
        assert_eq!(
            inline_contents("<scripts>x</scripts><style>a{}</style>", "script"),
            Vec::<&str>::new()
        );
        assert_eq!(
            inline_contents("<style>a{}</style><style", "style"),
            vec!["a{}"]
        );
        assert!(inline_contents("<script>never closed", "script").is_empty());
    }
}
