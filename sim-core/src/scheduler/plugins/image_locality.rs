//! imagelocality/image_locality.go: favours nodes that already hold the pod's images, scaled by
//! how many nodes hold them (spread), so pods do not pile onto one warm node.

use crate::cluster::{NodeId, PodRecord};
use crate::scheduler::framework::{MAX_NODE_SCORE, ScorePlugin, Snapshot, Status};

const MB: i64 = 1024 * 1024;
const MIN_THRESHOLD: i64 = 23 * MB;
const MAX_CONTAINER_THRESHOLD: i64 = 1000 * MB;

pub struct ImageLocality;

/// normalizedImageName: `:latest` when the reference has no tag (a `:` after the last `/`).
/// A digest reference (`@sha256:...`) has one, so it is left alone.
pub fn normalized_image_name(name: &str) -> std::borrow::Cow<'_, str> {
    let colon = name.rfind(':');
    let slash = name.rfind('/');
    if colon.is_none_or(|c| slash.is_some_and(|s| c <= s)) {
        format!("{name}:latest").into()
    } else {
        name.into()
    }
}

/// calculatePriority: the clamped sum scaled to 0..=100.
pub fn calculate_priority(sum_scores: i64, num_containers: usize) -> i64 {
    let max_threshold = MAX_CONTAINER_THRESHOLD * num_containers as i64;
    let sum = if sum_scores < MIN_THRESHOLD {
        MIN_THRESHOLD
    } else {
        sum_scores.min(max_threshold)
    };
    MAX_NODE_SCORE * (sum - MIN_THRESHOLD) / (max_threshold - MIN_THRESHOLD)
}

/// scaledImageScore: the image size times the fraction of nodes holding it.
pub fn scaled_image_score(size: u64, num_nodes: usize, total_num_nodes: usize) -> i64 {
    let spread = num_nodes as f64 / total_num_nodes as f64;
    (size as f64 * spread) as i64
}

impl ScorePlugin for ImageLocality {
    fn name(&self) -> &'static str {
        "ImageLocality"
    }

    /// Upstream has no PreScore here. When no node holds any of the pod's images every score
    /// is `calculatePriority(0) = 0`, so skipping is exact and saves a map lookup per node.
    fn pre_score(&mut self, pod: &PodRecord, _: &[NodeId], s: Snapshot<'_>) -> Status {
        let spec = &pod.pod.spec;
        let held = spec
            .init_containers
            .iter()
            .chain(&spec.containers)
            .any(|c| s.cache.image_num_nodes(&normalized_image_name(&c.image)) > 0);
        if held { Status::SUCCESS } else { Status::SKIP }
    }

    fn score(&self, pod: &PodRecord, id: NodeId, s: Snapshot<'_>) -> i64 {
        let node = s.node(id);
        let spec = &pod.pod.spec;
        let total = s.cache.node_order().len();
        let containers = spec.init_containers.iter().chain(&spec.containers);
        let num_containers = spec.init_containers.len() + spec.containers.len();
        if num_containers == 0 {
            return 0;
        }
        let mut sum = 0;
        if !node.images.is_empty() {
            for c in containers {
                let name = normalized_image_name(&c.image);
                if let Some(&size) = node.images.get(name.as_ref()) {
                    sum += scaled_image_score(size, s.cache.image_num_nodes(&name), total);
                }
            }
        }
        calculate_priority(sum, num_containers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// imagelocality/image_locality_test.go TestImageLocalityPriority ("two images spread on
    /// two nodes, prefer the larger image one"): node1 holds a 40MB image, node2 a 300MB and a
    /// 2000MB image; the pod uses the 40MB and 300MB images, both on one of two nodes.
    #[test]
    fn image_locality_table() {
        let total = 2;
        let node1 = scaled_image_score(40 * MB as u64, 1, total);
        let node2 = scaled_image_score(300 * MB as u64, 1, total);
        // (20MB - 23MB) clamps to 0; (150MB - 23MB) / (2000MB - 23MB) * 100 = 6.
        assert_eq!(calculate_priority(node1, 2), 0);
        assert_eq!(calculate_priority(node2, 2), 6);
    }

    #[test]
    fn untagged_images_get_latest() {
        assert_eq!(normalized_image_name("nginx"), "nginx:latest");
        assert_eq!(
            normalized_image_name("localhost:5000/app"),
            "localhost:5000/app:latest"
        );
        assert_eq!(normalized_image_name("nginx:1.14.2"), "nginx:1.14.2");
    }
}
