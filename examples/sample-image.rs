//! Writes `fixtures/sample.db`, the image of the sample portfolio's database that
//! `--sample` opens, from the sample's files: run it after changing them or the schema
//! (`cargo run --example sample-image`). A test fails until it has been run.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let image = spets::commands::sample::build()?.image()?;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/sample.db");
    std::fs::write(path, &image)?;
    println!("{path}: {} bytes", image.len());
    Ok(())
}
