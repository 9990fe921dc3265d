//! How WebKitGTK draws the window on a machine without a GPU.
//!
//! WebKitGTK's DMA-BUF renderer hands GPU buffers from its web process to the window. On a machine
//! with no GPU render node (`/dev/dri/renderD*`: a virtual machine, a remote desktop, a laptop
//! whose graphics driver is missing) there is no GPU to share buffers from: WebKit then draws with
//! Mesa's software GL in both processes, and its buffers and layers sit in ordinary memory. On
//! such a machine the app tells WebKit not to use that renderer (`WEBKIT_DISABLE_DMABUF_RENDERER`,
//! WebKitGTK's own switch), before any window exists: after a tour of every screen on an agency of
//! 100,000 deals the web process held 182 MB instead of 328 (README, Performance). A machine with a
//! render node keeps WebKit's default, and a person who set the switch either way keeps theirs.

use std::path::Path;

/// WebKitGTK's switch for its DMA-BUF renderer.
pub const SWITCH: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";

/// Whether the folder of DRM devices (`/dev/dri`) holds a GPU render node.
pub fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri)
        .map(|entries| entries.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")))
        .unwrap_or(false)
}

/// Whether the app should turn WebKit's DMA-BUF renderer off: only where there is no render node
/// and nobody chose already (`already` is the switch's value in the environment, if any).
pub fn should_disable_dmabuf(already: Option<&std::ffi::OsStr>, dri: &Path) -> bool {
    already.is_none() && !has_render_node(dri)
}

/// Turns the DMA-BUF renderer off on a machine without a render node. Call first thing in `main`,
/// while the process has one thread: it sets an environment variable that WebKit reads, and that
/// its processes inherit, when the first window is made.
#[cfg(target_os = "linux")]
pub fn choose() {
    if should_disable_dmabuf(std::env::var_os(SWITCH).as_deref(), Path::new("/dev/dri")) {
        std::env::set_var(SWITCH, "1");
    }
}

/// Other systems draw with their own web views.
#[cfg(not(target_os = "linux"))]
pub fn choose() {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn without_a_render_node_the_dmabuf_renderer_is_turned_off() {
        let dri = tempfile::tempdir().unwrap();
        assert!(!has_render_node(dri.path()), "an empty /dev/dri");
        assert!(should_disable_dmabuf(None, dri.path()));
        // A card without its render node (a display-only device) is no GPU to render with.
        std::fs::write(dri.path().join("card0"), b"").unwrap();
        assert!(should_disable_dmabuf(None, dri.path()));
        // No /dev/dri at all.
        assert!(should_disable_dmabuf(None, &dri.path().join("missing")));
    }

    #[test]
    fn with_a_render_node_webkit_keeps_its_default() {
        let dri = tempfile::tempdir().unwrap();
        std::fs::write(dri.path().join("card1"), b"").unwrap();
        std::fs::write(dri.path().join("renderD128"), b"").unwrap();
        assert!(has_render_node(dri.path()));
        assert!(!should_disable_dmabuf(None, dri.path()));
    }

    #[test]
    fn a_switch_already_set_either_way_is_kept() {
        let dri = tempfile::tempdir().unwrap();
        assert!(!should_disable_dmabuf(Some(OsStr::new("0")), dri.path()));
        assert!(!should_disable_dmabuf(Some(OsStr::new("1")), dri.path()));
    }
}
