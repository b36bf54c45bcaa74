//! How long a browser may keep a static file.

use axum::http::HeaderValue;

/// The `Cache-Control` of a static file, decided by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CachePolicy {
    /// Trunk's content-hashed names (`name-<hash>.ext`): a new build gets a
    /// new name, so the old one may be kept for good.
    Immutable,
    /// Everything else (`index.html`, `robots.txt`, the manifest, icons):
    /// kept, but revalidated before each use. Never `no-store`, which would
    /// keep the page out of the back/forward cache.
    Revalidate,
}

impl CachePolicy {
    pub fn for_file(name: &str) -> Self {
        if is_content_hashed(name) {
            CachePolicy::Immutable
        } else {
            CachePolicy::Revalidate
        }
    }

    pub fn header(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            CachePolicy::Immutable => "public, max-age=31536000, immutable",
            CachePolicy::Revalidate => "no-cache",
        })
    }
}

/// Trunk hashes only what it builds: the scripts and styles it names
/// `{stem}-{hash}.js` / `{stem}-{hash}.css` and the wasm it names
/// `{stem}-{hash}_bg.wasm`, the hash being a `u64` in lower-case hex without
/// leading zeros. Copied files (`logo-20240101.png`) keep their names, so a
/// name that merely looks hashed is not enough.
fn is_content_hashed(name: &str) -> bool {
    let Some(stem) = [".js", ".css", "_bg.wasm"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
    else {
        return false;
    };
    let Some((_, hash)) = stem.rsplit_once('-') else {
        return false;
    };
    (8..=16).contains(&hash.len())
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_outputs_are_immutable() {
        for name in [
            "ytempire-dashboard-8c2f1e0a9b3d4c5e.js",
            "ytempire-dashboard-8c2f1e0a9b3d4c5e_bg.wasm",
            "main-1a2b3c4d5e6f7a8.css",
        ] {
            assert_eq!(
                CachePolicy::for_file(name),
                CachePolicy::Immutable,
                "{name}"
            );
        }
    }

    #[test]
    fn unhashed_files_are_revalidated() {
        for name in [
            "index.html",
            "robots.txt",
            "manifest.webmanifest",
            "icon-192.png",
            "ytempire-dashboard.js",
            "main-notahash.css",
            "main-ABCDEF0123456789.css",
            "main-123.css",
            "logo-20240101.png",
            "photo-deadbeef.jpg",
            "ytempire-dashboard-8c2f1e0a9b3d4c5e.wasm",
            "data-8c2f1e0a9b3d4c5e.json",
        ] {
            assert_eq!(
                CachePolicy::for_file(name),
                CachePolicy::Revalidate,
                "{name}"
            );
        }
    }
}
