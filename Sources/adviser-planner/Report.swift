import AdviserReports
import AdviserSolver
import ArgumentParser
import Foundation

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a plan as one self-contained HTML page to share: summary, loads, visits by week, map, rosters.",
        discussion: "The page needs no network and runs no script, so it can be emailed as it is. With --compare BASE.json it also shows what changed from BASE (before) to PLAN (after): who moved and why, loads, coverage and cost. Plans written before coordinates were stored still work; the map then asks for a new solve.")

    @Argument(help: "A plan file written by `solve --out` or `whatif --out`.")
    var plan: String

    @Option(name: .long, help: ArgumentHelp("Write the HTML page to this file.", valueName: "report.html"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("A plan to compare with, shown as 'before' (PLAN is 'after').", valueName: "BASE.json"))
    var compare: String?

    func run() throws {
        let inputs = [plan] + (compare.map { [$0] } ?? [])
        // Refuse before reading anything, so a report never replaces one of its own plans.
        func resolved(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
        if let input = inputs.first(where: { resolved($0) == resolved(out) }) {
            throw CLIError(message: "\(input) is a plan this report reads; choose another output file", status: .badInput)
        }
        try Output.checkWritable(out, protecting: inputs)
        let reported = try Inputs.plan(plan)
        var comparison: HTMLReport.Comparison?
        if let compare {
            let base = try Inputs.plan(compare)
            comparison = HTMLReport.Comparison(base: base, plan: reported, baseLabel: fileName(compare), planLabel: fileName(plan))
        }
        let page = HTMLReport.page(reported, comparison: comparison)
        try Output.writeAtomically(Data(page.utf8), to: out, protecting: inputs)
        print("Report written to \(out)")
    }

    /// The plan's file name, not its full path: the page is shared, the folder layout is private.
    func fileName(_ path: String) -> String { (path as NSString).lastPathComponent }
}
