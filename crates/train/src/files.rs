//! Writing that never leaves half a result: files through a synced temporary and a rename, directories staged
//! beside their final place and renamed in as a unit, temporaries removed on every error path.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use crate::error::TrainError;

/// Writes `bytes` to `path` through a temporary file in the same directory: written, synced, renamed, and the
/// directory synced. A crash leaves the old file or the new one, never a mix; an error removes the temporary.
/// A directory or a symbolic link at `path` is an error (the rename would replace the link, not its target).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), TrainError> {
    replace_with(path, |tmp| fs::write(tmp, bytes).map_err(|e| TrainError::io(path, e)))
}

/// [`write_atomic`] for a writer that wants a path: `write(tmp)` fills the temporary, which is then synced and
/// renamed over `path`; on any error the temporary is removed.
pub(crate) fn replace_with(path: &Path, write: impl FnOnce(&Path) -> Result<(), TrainError>) -> Result<(), TrainError> {
    refuse_special(path)?;
    let tmp = temp_path(path, "tmp");
    let done = write(&tmp)
        .and_then(|()| File::open(&tmp).and_then(|file| file.sync_all()).map_err(|e| TrainError::io(path, e)))
        .and_then(|()| rename_synced(&tmp, path));
    if done.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    done
}

/// Renames `from` to `to` and syncs the directory that holds `to`, so the rename survives a power cut.
fn rename_synced(from: &Path, to: &Path) -> Result<(), TrainError> {
    fs::rename(from, to).map_err(|e| TrainError::io(to, e))?;
    sync_dir(to.parent().unwrap_or(Path::new(".")));
    Ok(())
}

/// Syncs a directory's entries (best effort: some file systems refuse to open a directory for syncing).
fn sync_dir(dir: &Path) {
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

fn refuse_special(path: &Path) -> Result<(), TrainError> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => Err(TrainError::io(path, "is a directory; give a file name")),
        Ok(meta) if meta.file_type().is_symlink() => {
            Err(TrainError::io(path, "is a symbolic link; give the file it points to, or another name"))
        }
        _ => Ok(()),
    }
}

/// `dir/.name.<pid>.<what>`: a hidden sibling of `path` on the same file system, unique to this process.
fn temp_path(path: &Path, what: &str) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(format!(".{}.{what}", std::process::id()));
    path.with_file_name(name)
}

/// A directory being written beside its final place. Files go into [`StagedDir::path`]; [`StagedDir::publish`]
/// renames it into place as a unit (an earlier directory of that name is replaced only then: renamed aside to a
/// hidden `.NAME.PID.old`, the new one renamed in, the old one removed). Dropped without publishing, it removes
/// itself: an error or a panic leaves nothing behind.
#[derive(Debug)]
pub struct StagedDir {
    staging: PathBuf,
    target: PathBuf,
    published: bool,
}

impl StagedDir {
    /// Creates the staging directory for `target` (and `target`'s parents).
    pub fn new(target: &Path) -> Result<Self, TrainError> {
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if target.file_name().is_none() {
            return Err(TrainError::io(target, "is not a directory name; give one such as runs/my-run"));
        }
        if fs::symlink_metadata(target).is_ok_and(|meta| !meta.is_dir()) {
            return Err(TrainError::io(target, "exists and is not a directory; give another --out"));
        }
        fs::create_dir_all(parent).map_err(|e| TrainError::io(parent, e))?;
        let staging = temp_path(target, "staging");
        let _ = fs::remove_dir_all(&staging);
        fs::create_dir(&staging).map_err(|e| TrainError::io(target, format!("cannot write here: {e}")))?;
        Ok(Self { staging, target: target.to_path_buf(), published: false })
    }

    /// Checks that `target` can be written (its parents are created, a staging directory is made and removed),
    /// without leaving anything there: call it before long work.
    pub fn check(target: &Path) -> Result<(), TrainError> {
        let missing: Vec<&Path> =
            target.ancestors().skip(1).take_while(|dir| !dir.as_os_str().is_empty() && !dir.exists()).collect();
        let checked = Self::new(target).map(drop);
        // Parents made only for the check go again (deepest first; a directory something else filled stays).
        for dir in missing {
            let _ = fs::remove_dir(dir);
        }
        checked
    }

    /// Where the files go until [`StagedDir::publish`].
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Syncs the staged files and renames the directory into place, replacing an earlier one of that name.
    pub fn publish(mut self) -> Result<PathBuf, TrainError> {
        for entry in fs::read_dir(&self.staging).map_err(|e| TrainError::io(&self.staging, e))?.flatten() {
            File::open(entry.path()).and_then(|file| file.sync_all()).map_err(|e| TrainError::io(&entry.path(), e))?;
        }
        sync_dir(&self.staging);
        let old = temp_path(&self.target, "old");
        let replaced = self.target.exists();
        if replaced {
            fs::rename(&self.target, &old).map_err(|e| TrainError::io(&self.target, e))?;
        }
        if let Err(error) = rename_synced(&self.staging, &self.target) {
            if replaced {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(error);
        }
        self.published = true;
        if replaced {
            let _ = fs::remove_dir_all(&old);
        }
        Ok(self.target.clone())
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.published {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}
