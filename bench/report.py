"""The benchmark's output: markdown tables, a PNG chart, and a summary for docs/performance.md."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.workloads import ERAS, WORKLOADS

CEILING, PEER, OURS = "ceiling", "peer", "ours"


@dataclass
class Results:
    """Every measured cell: (target, era, workload, concurrency) -> bench.load's numbers."""

    cells: dict[tuple[str, str, str, int], dict[str, Any]] = field(default_factory=dict)
    capacity: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)

    def targets(self) -> list[str]:
        """Ceiling, peer, then each configuration of ours in the order measured."""
        names = list(dict.fromkeys(target for target, *_ in self.cells))
        return sorted(names, key=lambda name: (name != CEILING, name != PEER))

    def concurrencies(self) -> list[int]:
        return sorted({concurrency for *_, concurrency in self.cells})

    def get(self, target: str, era: str, workload: str, concurrency: int) -> dict[str, Any] | None:
        return self.cells.get((target, era, workload, concurrency))


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return (
        f"{cpu}, {os.cpu_count()} cores, {int(memory) // 1024 // 1024} GiB; "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}"
    )


def commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or "unknown"


def cell_table(results: Results) -> list[str]:
    lines = [
        "| era | workload | clients | target | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for era in ERAS:
        for workload in WORKLOADS:
            for concurrency in results.concurrencies():
                for target in results.targets():
                    cell = results.get(target, era, workload, concurrency)
                    if cell is None:
                        continue
                    lines.append(
                        f"| {era} | {workload} | {concurrency} | {target} | {cell['rps']:.0f} | "
                        f"{cell['p50']:.2f} | {cell['p95']:.2f} | {cell['p99']:.2f} | "
                        f"{cell['errors']} |"
                    )
    return lines


def ratio(numerator: dict[str, Any] | None, denominator: dict[str, Any] | None) -> str:
    if numerator is None or denominator is None or not denominator["rps"]:
        return "n/a"
    return f"{numerator['rps'] / denominator['rps']:.2f}"


def overhead(ours: dict[str, Any] | None, peer: dict[str, Any] | None) -> str:
    if ours is None or peer is None:
        return "n/a"
    return f"{ours['p50'] - peer['p50']:+.2f}"


def ratio_table(results: Results) -> list[str]:
    ours_targets = [target for target in results.targets() if target.startswith(OURS)]
    header = "| era | workload | clients | " + " | ".join(
        f"{target}/peer | {target}/ceiling | {target}-peer p50 ms" for target in ours_targets
    )
    lines = [header + " |", "|---|---|---:|" + "---:|" * (3 * len(ours_targets))]
    for era in ERAS:
        for workload in WORKLOADS:
            for concurrency in results.concurrencies():
                peer = results.get(PEER, era, workload, concurrency)
                ceiling = results.get(CEILING, era, workload, concurrency)
                cells = []
                for target in ours_targets:
                    ours = results.get(target, era, workload, concurrency)
                    cells += [ratio(ours, peer), ratio(ours, ceiling), overhead(ours, peer)]
                lines.append(f"| {era} | {workload} | {concurrency} | " + " | ".join(cells) + " |")
    return lines


def capacity_table(results: Results) -> list[str]:
    lines = [
        "| open streams | RSS MiB | KiB per stream | whoami p50/p99 ms | getEmails p50/p99 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in results.capacity:
        per = f"{row['kib_per_stream']:.0f}" if row.get("kib_per_stream") is not None else "n/a"
        lines.append(
            f"| {row['label']} | {row['rss_kib'] / 1024:.0f} | {per} | "
            f"{row['whoami']['p50']:.2f} / {row['whoami']['p99']:.2f} | "
            f"{row['getEmails']['p50']:.2f} / {row['getEmails']['p99']:.2f} |"
        )
    return lines


def acceptance(results: Results) -> list[str]:
    ours = f"{OURS} (uvicorn)"
    lines = []
    for era in ERAS:
        mail = [results.get(name, era, "getEmails", 16) for name in (ours, PEER)]
        whoami = [results.get(name, era, "whoami", 1) for name in (ours, PEER)]
        lines.append(f"- getEmails, 16 clients, {era}: Ours/Peer throughput {ratio(*mail)}")
        lines.append(
            f"- whoami, 1 client, {era}: gateway overhead (Ours - Peer, p50) {overhead(*whoami)} ms"
        )
    for row in results.capacity:
        if row.get("kib_per_stream") is not None:
            lines.append(
                f"- memory per open stream, {row['label']}: {row['kib_per_stream']:.0f} KiB"
            )
    return lines


def summary(results: Results) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    settings = ", ".join(f"{key} {value}" for key, value in results.settings.items())
    return "\n".join(
        [
            f"Run {when} on commit {commit()}: {machine()}.",
            f"Settings: {settings}.",
            "",
            "### Acceptance figures",
            "",
            *acceptance(results),
            "",
            "### Ratios (throughput) and gateway overhead (p50 latency)",
            "",
            *ratio_table(results),
            "",
            "### Every cell",
            "",
            *cell_table(results),
            "",
            "### Open streams on one process (ours, uvicorn)",
            "",
            *capacity_table(results),
            "",
        ]
    )


def chart(results: Results, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    targets = results.targets()
    concurrencies = results.concurrencies()
    figure, axes = plt.subplots(
        len(ERAS), len(WORKLOADS), figsize=(4.2 * len(WORKLOADS), 3.4 * len(ERAS)), squeeze=False
    )
    width = 0.8 / max(1, len(targets))
    for row, era in enumerate(ERAS):
        for column, workload in enumerate(WORKLOADS):
            axis = axes[row][column]
            for index, target in enumerate(targets):
                values = [
                    (results.get(target, era, workload, c) or {"rps": 0})["rps"]
                    for c in concurrencies
                ]
                positions = [x + index * width for x in range(len(concurrencies))]
                axis.bar(positions, values, width, label=target)
            axis.set_title(f"{workload} ({era})", fontsize=9)
            axis.set_xticks([x + width * (len(targets) - 1) / 2 for x in range(len(concurrencies))])
            axis.set_xticklabels([f"{c} clients" for c in concurrencies], fontsize=8)
            axis.set_ylabel("requests/s", fontsize=8)
    axes[0][0].legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def write(results: Results, directory: Path) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    text = summary(results)
    (directory / "summary.md").write_text(text)
    cells = [
        {"target": target, "era": era, "workload": workload, "clients": clients, **cell}
        for (target, era, workload, clients), cell in results.cells.items()
    ]
    raw = {"cells": cells, "capacity": results.capacity, "settings": results.settings}
    (directory / "results.json").write_text(json.dumps(raw, indent=1))
    chart(results, directory / "throughput.png")
    return text
