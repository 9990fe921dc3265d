//! The Typst baseline of the PDF benchmark: the same brief as a Typst document (header band,
//! title, facts table, the seven sections, the sign-off block, a footer; DejaVu Sans), compiled
//! by Typst itself through its Python package (`typst` on PyPI, pinned below), in a Python
//! process of its own that reports each compile's time.
//!
//! Two ways are timed, each after one cold compile left out:
//! - **warm**: one `typst.Compiler` compiling again and again, as a long-running service would,
//!   each time with another brief number in the title and footer (Typst keeps what did not
//!   change from the compile before, so this is Typst at its fastest);
//! - **fresh**: a new `Compiler` each time, reading its fonts again, in the same Python process
//!   (Typst's memo cache is the process's, not the compiler's, so what earlier compiles laid out
//!   still helps: this is not a cold start).
//!
//! The one-shot figure is the whole process: `python3 -c "import typst; compile"`, of which
//! Python starting and importing the package is timed alone beside it.
//!
//! Python's virtual environment is made under `target/bench-venv` on first use (`python3 -m venv`
//! and pip, from the registry); nothing else is downloaded.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use handoff_pdf::{BriefDoc, SignoffState};

/// The Typst Python package measured.
pub const TYPST_PACKAGE: &str = "typst==0.15.2";

/// The virtual environment's Python, made (with Typst installed) when missing; `Err` says why
/// it could not be.
pub fn python() -> Result<PathBuf, String> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-venv");
    let python = venv.join("bin/python");
    let has_typst = |p: &Path| Command::new(p).args(["-c", "import typst"]).output().is_ok_and(|o| o.status.success());
    if has_typst(&python) {
        return Ok(python);
    }
    let run = |cmd: &mut Command| -> Result<(), String> {
        let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr).trim()))
        }
    };
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))
        .map_err(|e| format!("{e} (apt-get install python3-venv)"))?;
    run(Command::new(&python).args(["-m", "pip", "install", "--quiet", TYPST_PACKAGE]))?;
    if has_typst(&python) {
        Ok(python)
    } else {
        Err(format!("{TYPST_PACKAGE} installed but `import typst` still fails"))
    }
}

/// The Python side: compiles `brief.typ` `n` times each way and prints one line per way with
/// every compile's milliseconds, the cold one first. `sys.argv`: source, fonts folder, n, out.
pub const DRIVER: &str = r#"
import sys, time, typst
src, fonts, n, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def fresh(i):
    c = typst.Compiler(src, font_paths=[fonts], ignore_system_fonts=True, sys_inputs={"n": str(i)})
    return c.compile()
warm_compiler = typst.Compiler(src, font_paths=[fonts], ignore_system_fonts=True)
def warm(i):
    return warm_compiler.compile(sys_inputs={"n": str(i)})
for name, f in (("warm", warm), ("fresh", fresh)):
    times = []
    for i in range(n + 1):
        s = time.perf_counter()
        pdf = f(i)
        times.append((time.perf_counter() - s) * 1e3)
    print(name, " ".join(f"{t:.4f}" for t in times))
open(out, "wb").write(pdf)
"#;

/// A Typst string literal holding `s` exactly.
fn lit(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for ch in s.chars() {
        match ch {
            '\\' => o.push_str("\\\\"),
            '"' => o.push_str("\\\""),
            '\n' => o.push_str("\\n"),
            _ => o.push(ch),
        }
    }
    o.push('"');
    o
}

/// A section's text as Typst markup: paragraphs at blank lines, lines starting "- " as a bullet
/// list, other line breaks kept — each piece of text a string literal, so nothing in it is markup.
fn section(text: &str) -> String {
    let mut o = String::new();
    for para in text.split("\n\n") {
        let mut lines: Vec<String> = Vec::new();
        let flush = |lines: &mut Vec<String>, o: &mut String| {
            if !lines.is_empty() {
                let _ = writeln!(o, "{}\n", lines.join(" \\\n"));
                lines.clear();
            }
        };
        for line in para.lines() {
            if let Some(item) = line.trim_start().strip_prefix("- ") {
                flush(&mut lines, &mut o);
                let _ = writeln!(o, "- #{}", lit(item));
            } else {
                lines.push(format!("#{}", lit(line)));
            }
        }
        flush(&mut lines, &mut o);
        o.push('\n');
    }
    o
}

/// The brief as a Typst document laid out like the PDF. `sys.inputs.n`, when given, is printed
/// after the title and in the footer: each compile of the timed loop is another document.
pub fn brief_typst(d: &BriefDoc) -> String {
    let mut t = String::new();
    t.push_str(
        r##"#let ink = rgb("#1d2a30")
#let band = rgb("#1e4d5c")
#let muted = rgb("#6b7b82")
#let rule = rgb("#dde3e6")
#let n = sys.inputs.at("n", default: "")
#set page(paper: "a4", margin: (bottom: 48pt, rest: 0pt), footer: pad(x: 44pt, bottom: 20pt, {
  set text(size: 7pt, fill: muted)
  line(length: 100%, stroke: 1pt + rule)
  v(-6pt)
"##,
    );
    let _ =
        writeln!(t, "  [Generated #{} by #{} #n #h(1fr) Page 1 of 1]\n}}))", lit(&d.generated_at), lit(&d.generator));
    t.push_str("#set text(font: \"DejaVu Sans\", size: 10pt, fill: ink)\n#set par(leading: 0.45em, spacing: 0.45em)\n");
    let _ = writeln!(
        t,
        "#block(fill: band, width: 100%, inset: (x: 44pt, y: 18pt), below: 0pt)[#text(fill: white, size: 15pt, weight: \"bold\")[#{}] #h(1fr) #text(size: 9.5pt, fill: rgb(\"#d6e6ec\"))[Sales → Fulfilment handoff brief]]",
        lit(&d.agency)
    );
    t.push_str("#pad(x: 44pt)[\n");
    let _ = writeln!(t, "#v(16pt)\n#text(size: 19pt, weight: \"bold\")[#{} #n]\n#v(6pt)", lit(&d.deal_title));
    let fact = |k: &str, v: &str| format!("text(fill: muted)[{k}], [#{}]", lit(v));
    let _ = writeln!(
        t,
        "#block(fill: rgb(\"#f1f4f5\"), stroke: (left: 3pt + band), width: 100%, inset: (x: 8pt, y: 4pt))[#set text(size: 9pt)\n#grid(columns: (auto, 1fr, auto, 1fr), column-gutter: 8pt, row-gutter: 5pt, {}, {}, {}, {}, {}, {}, {}, [], [])]",
        fact("Customer", &d.customer),
        fact("Value", &d.value),
        fact("Destination", &d.destination),
        fact("Sales author", &d.sales_author),
        fact("Trip dates", &d.trip_dates),
        fact("Fulfilment owner", &d.fulfilment_owner),
        fact("Travellers", &d.travellers),
    );
    for (title, text) in &d.sections {
        let _ = writeln!(
            t,
            "#v(6pt)\n#text(size: 10.5pt, weight: \"bold\", fill: rgb(\"#1e6f8c\"))[#{}]\n\n{}",
            lit(title),
            section(text)
        );
    }
    let short: String = d.sha256.chars().take(16).collect::<String>().to_uppercase();
    let short = short.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>();
    let _ = writeln!(
        t,
        "#v(10pt)\n#line(length: 100%, stroke: 2pt + band)\n#text(size: 12pt, weight: \"bold\")[Sign-off] #h(1fr) #text(size: 6.5pt, fill: muted)[Brief SHA-256] #text(size: 14pt, weight: \"bold\", tracking: 1pt)[#{}]",
        lit(&short.join(" "))
    );
    for s in &d.signoffs {
        let state = match s.state {
            SignoffState::Valid => "✓ VALID",
            SignoffState::Stale => "STALE",
            SignoffState::Missing => "NOT SIGNED",
        };
        let _ = writeln!(
            t,
            "#block(width: 100%, inset: (y: 4pt), stroke: (bottom: 1pt + rule))[#set text(size: 9pt)\n#box(fill: rgb(\"#1b7f4b\"), inset: (x: 6pt, y: 1pt), text(fill: white, weight: \"bold\", size: 8pt)[#{}]) #strong[#{}] #text(fill: muted)[#{}] \\\nSigned #{} \\\n#text(size: 6.5pt, fill: muted)[Signed SHA-256 #{} · Signer's own key #{}]]",
            lit(state),
            lit(&s.name),
            lit(&s.role),
            lit(&s.at),
            lit(&s.signed_sha256),
            lit(&s.key_fingerprint),
        );
    }
    let _ = writeln!(t, "#text(size: 6.5pt, fill: muted)[Full SHA-256 of this brief #h(6pt) #{}]\n]", lit(&d.sha256));
    t
}
