//! Integration tests, one binary made of modules so it compiles once.

mod accuracy;
mod calibration;
mod cli;
mod client_report;
mod common;
mod decode;
mod hostile;
mod measure;
mod outside_render;
mod report_schema;
mod timeline;
