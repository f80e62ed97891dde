/*!
smp-heal: measures how a scalp micropigmentation (SMP) treatment heals, from a folder of dated scalp photos.

Data flows one way: [`discover`] (photos and capture dates) -> [`measure`] (per photo, pure) -> sessions and days
-> [`report`] (one serialisable report feeding every exporter). [`synth`] renders photos with known ground truth.
*/
#![deny(missing_docs)]

pub mod colour;
pub mod time;
