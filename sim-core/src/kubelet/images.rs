//! Image references, the simulated registry and pull timing.

use std::collections::BTreeMap;

use crate::time::SimDuration;

/// Normalises an image reference the way containerd names images in `node.status.images`
/// (docker.io is the default registry, `library/` the default namespace, `latest` the default
/// tag), so `nginx`, `nginx:latest` and `docker.io/library/nginx:latest` are one cache entry.
/// The parsing is the API defaulting's (`api::defaults::parse_image_name`); a reference it
/// cannot parse is kept as written.
pub fn normalize_image(image: &str) -> String {
    match crate::api::defaults::parse_image_name(image) {
        Some(name) if !name.digest.is_empty() => format!("{}@{}", name.repository, name.digest),
        Some(name) => format!("{}:{}", name.repository, name.tag),
        None => image.to_string(),
    }
}

/// One image the scenario's registry knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryImage {
    pub size: u64,
    /// The registry answers pulls of this image with this error (e.g. a missing tag).
    pub pull_error: Option<String>,
}

/// The registry every node pulls from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registry {
    pub images: BTreeMap<String, RegistryImage>,
    /// Size of images the scenario does not list.
    pub default_size: u64,
    /// Images not listed are missing (pulls fail with NotFound) instead of taking `default_size`.
    pub strict: bool,
    /// Time a pull spends before any byte flows (resolve, manifest, auth).
    pub pull_latency: SimDuration,
}

impl Default for Registry {
    fn default() -> Self {
        Registry {
            images: BTreeMap::new(),
            default_size: 50 * 1024 * 1024,
            strict: false,
            pull_latency: SimDuration::from_millis(500),
        }
    }
}

/// What a pull of `image` will do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PullOutcome {
    Success { size: u64 },
    Failure { error: String },
}

impl Registry {
    pub fn lookup(&self, image: &str) -> PullOutcome {
        let key = normalize_image(image);
        match self.images.get(&key) {
            Some(RegistryImage {
                pull_error: Some(e),
                ..
            }) => PullOutcome::Failure { error: e.clone() },
            Some(RegistryImage { size, .. }) => PullOutcome::Success { size: *size },
            None if self.strict => PullOutcome::Failure {
                error: not_found_error(&key),
            },
            None => PullOutcome::Success {
                size: self.default_size,
            },
        }
    }
}

/// containerd's answer for a missing reference, as the kubelet wraps it.
pub fn not_found_error(full: &str) -> String {
    format!(
        "rpc error: code = NotFound desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": {full}: not found"
    )
}

/// containerd's answer while the registry is unreachable.
pub fn unreachable_error(full: &str) -> String {
    // containerd talks to Docker Hub's registry host, not to "docker.io".
    let host = match full.split('/').next().unwrap_or(full) {
        "docker.io" => "registry-1.docker.io",
        h => h,
    };
    format!(
        "rpc error: code = Unavailable desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": failed to do request: Head \"https://{host}/v2/\": dial tcp: i/o timeout"
    )
}

/// Transfer time of `size` bytes at `bandwidth` bytes/s, rounded up to the nanosecond.
pub fn transfer_time(size: u64, bandwidth: u64) -> SimDuration {
    if bandwidth == 0 {
        return SimDuration::MAX;
    }
    let ns = (u128::from(size) * 1_000_000_000).div_ceil(u128::from(bandwidth));
    SimDuration::from_nanos(u64::try_from(ns).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_like_containerd() {
        assert_eq!(normalize_image("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(
            normalize_image("nginx:1.27"),
            "docker.io/library/nginx:1.27"
        );
        assert_eq!(
            normalize_image("bitnami/redis:7"),
            "docker.io/bitnami/redis:7"
        );
        assert_eq!(
            normalize_image("registry.k8s.io/pause:3.10"),
            "registry.k8s.io/pause:3.10"
        );
        assert_eq!(
            normalize_image("localhost:5000/app"),
            "localhost:5000/app:latest"
        );
        assert_eq!(
            normalize_image("nginx@sha256:abc"),
            "docker.io/library/nginx@sha256:abc"
        );
    }

    #[test]
    fn transfer_time_rounds_up() {
        assert_eq!(transfer_time(10, 3), SimDuration::from_nanos(3_333_333_334));
        assert_eq!(
            transfer_time(62_958_873, 62_958_873),
            SimDuration::from_secs(1)
        );
    }
}
