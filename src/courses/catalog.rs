//! The catalog: every course parsed and rendered once, its pictures in memory, and the
//! problems of the last load. A reload keeps the last good version of a course that is now
//! broken, so one teacher's mistake never takes a course away from learners.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use super::search::SearchIndex;
use crate::content::{self, Course, Problem};
use crate::groups::Group;
use crate::reports::plan::{self, Plan};

/// A picture from a course folder, served at `/media/<slug>/<path>`.
#[derive(Debug, Clone)]
pub struct Media {
    pub bytes: Arc<Vec<u8>>,
    pub mime: &'static str,
}

/// One loaded set of courses. Immutable: a reload builds a new one.
#[derive(Debug, Default)]
pub struct Catalog {
    courses: Vec<Arc<Course>>,
    by_slug: HashMap<String, usize>,
    media: HashMap<String, Media>,
    pub problems: Vec<Problem>,
    /// Slugs of broken courses still served from their last good version.
    pub kept: Vec<String>,
    pub search: SearchIndex,
    /// The plan's goals (`plan.toml` beside the courses), checked against these courses; the
    /// last good plan is kept when the file is now broken.
    pub plan: Option<Arc<Plan>>,
    pub load_millis: u128,
}

const IMAGE_TYPES: &[(&str, &str)] = &[
    ("svg", "image/svg+xml"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("webp", "image/webp"),
    ("gif", "image/gif"),
];

fn load_media(course: &Course, into: &mut HashMap<String, Media>) {
    let mut stack = vec![course.dir.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_lowercase();
            let Some((_, mime)) = IMAGE_TYPES.iter().find(|(e, _)| *e == ext) else {
                continue;
            };
            let Ok(rel) = path.strip_prefix(&course.dir) else {
                continue;
            };
            if let Ok(bytes) = std::fs::read(&path) {
                let key = format!("{}/{}", course.slug, rel.to_string_lossy());
                into.insert(
                    key,
                    Media {
                        bytes: Arc::new(bytes),
                        mime,
                    },
                );
            }
        }
    }
}

impl Catalog {
    /// Builds a catalog from freshly loaded courses, keeping from `previous` the last good
    /// version of any course that failed to load this time.
    fn build(dir: &Path, previous: Option<&Catalog>) -> Catalog {
        let started = Instant::now();
        let loaded = content::load_dir(dir);
        let mut courses: Vec<Arc<Course>> = loaded.courses.into_iter().map(Arc::new).collect();
        let mut kept = Vec::new();
        if let Some(prev) = previous {
            for old in &prev.courses {
                let broken_now = loaded.problems.iter().any(|p| p.path.starts_with(&old.dir));
                let present = courses.iter().any(|c| c.slug == old.slug);
                if broken_now && !present {
                    kept.push(old.slug.clone());
                    courses.push(old.clone());
                }
            }
        }
        courses.sort_by(|a, b| (a.order, &a.slug).cmp(&(b.order, &b.slug)));
        let by_slug = courses
            .iter()
            .enumerate()
            .map(|(i, c)| (c.slug.clone(), i))
            .collect();
        let mut media = HashMap::new();
        for c in &courses {
            load_media(c, &mut media);
        }
        let search = SearchIndex::build(&courses);
        let mut problems = loaded.problems;
        let plan = load_plan(dir, &courses, previous, &mut problems);
        Catalog {
            courses,
            by_slug,
            media,
            problems,
            kept,
            search,
            plan,
            load_millis: started.elapsed().as_millis(),
        }
    }

    pub fn courses(&self) -> &[Arc<Course>] {
        &self.courses
    }

    pub fn course(&self, slug: &str) -> Option<&Arc<Course>> {
        self.by_slug.get(slug).map(|&i| &self.courses[i])
    }

    pub fn media(&self, slug: &str, path: &str) -> Option<&Media> {
        self.media.get(&format!("{slug}/{path}"))
    }

    /// Courses for a group first (in catalog order), then the others.
    pub fn ordered_for(&self, group: Option<Group>) -> (Vec<Arc<Course>>, Vec<Arc<Course>>) {
        match group {
            None => (self.courses.clone(), Vec::new()),
            Some(g) => self
                .courses
                .iter()
                .cloned()
                .partition(|c| c.groups.contains(&g)),
        }
    }
}

/// Reads `plan.toml` from the courses folder, if there is one. A broken plan adds its
/// problems and keeps the previous good plan.
fn load_plan(
    dir: &Path,
    courses: &[Arc<Course>],
    previous: Option<&Catalog>,
    problems: &mut Vec<Problem>,
) -> Option<Arc<Plan>> {
    let path = dir.join("plan.toml");
    if !path.exists() {
        return None;
    }
    match plan::load(&path, courses) {
        Ok(p) => Some(Arc::new(p)),
        Err(found) => {
            problems.extend(found);
            previous.and_then(|c| c.plan.clone())
        }
    }
}

/// The live catalog, swapped whole on reload; readers hold an `Arc` and never wait long.
#[derive(Debug)]
pub struct Library {
    dir: PathBuf,
    current: RwLock<Arc<Catalog>>,
}

impl Library {
    /// Loads every course in `dir`.
    pub fn load(dir: &Path) -> Library {
        let catalog = Catalog::build(dir, None);
        log_load(&catalog);
        Library {
            dir: dir.to_owned(),
            current: RwLock::new(Arc::new(catalog)),
        }
    }

    /// The catalog now.
    pub fn get(&self) -> Arc<Catalog> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Reads the folder again; returns the new catalog (with its problems).
    pub fn reload(&self) -> Arc<Catalog> {
        let previous = self.get();
        let catalog = Arc::new(Catalog::build(&self.dir, Some(&previous)));
        log_load(&catalog);
        match self.current.write() {
            Ok(mut guard) => *guard = catalog.clone(),
            Err(poisoned) => *poisoned.into_inner() = catalog.clone(),
        }
        catalog
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

fn log_load(catalog: &Catalog) {
    let lessons: usize = catalog.courses.iter().map(|c| c.lessons.len()).sum();
    tracing::info!(
        courses = catalog.courses.len(),
        lessons,
        problems = catalog.problems.len(),
        kept = catalog.kept.len(),
        millis = catalog.load_millis as u64,
        "courses loaded"
    );
    for p in &catalog.problems {
        tracing::warn!(problem = %p, "course problem");
    }
}

/// A cheap fingerprint of a folder tree (paths, sizes and modification times), used to notice
/// edits in development.
pub fn fingerprint(dir: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.path());
        for e in entries {
            let path = e.path();
            path.hash(&mut hasher);
            if let Ok(meta) = e.metadata() {
                meta.len().hash(&mut hasher);
                if let Ok(modified) = meta.modified() {
                    modified.hash(&mut hasher);
                }
                if meta.is_dir() {
                    stack.push(path);
                }
            }
        }
    }
    hasher.finish()
}
