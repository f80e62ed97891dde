/*!
smp-heal: measures how a scalp micropigmentation (SMP) treatment heals, from a folder of dated scalp photos.

Data flows one way: [`discover`] (photos and capture dates) -> [`measure`] (per photo, pure) -> [`sessions`]
(session and day of each photo) -> [`timeline`] (fits against the expected healing course, stages,
flags) -> [`report`] (one serialisable report feeding every exporter). [`synth`] renders
photos with known ground truth for the tests and fixtures.
*/
#![deny(missing_docs)]

pub mod analyze;
pub mod camera;
pub mod colour;
pub mod dates;
pub mod discover;
pub mod exif_write;
pub mod measure;
pub mod report;
pub mod sessions;
pub mod synth;
pub mod time;
pub mod timeline;
