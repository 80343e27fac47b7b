import AdviserSolver

/// A what-if or comparison, in words a planner can act on.
public enum DiffReport {
    public static func text(_ diff: PlanDiff, before: Plan, after: Plan, changes: [String] = []) -> String {
        var out = ""
        if !changes.isEmpty {
            out += "Changes:\n" + changes.map { "  - \($0)\n" }.joined() + "\n"
        }
        var totals = TextTable(headers: ["", "before", "after", "change"], alignments: [.left, .right, .right, .right])
        func row(_ label: String, _ b: Double, _ a: Double, _ format: (Double) -> String) {
            let delta = a - b
            totals.add([label, format(b), format(a), abs(delta) < 1e-9 ? "—" : (delta > 0 ? "+" : "-") + format(abs(delta))])
        }
        row("need-days covered", diff.before.needDaysCovered, diff.after.needDaysCovered, Figures.days)
        row("need-days unmet", diff.before.needDaysUnmet, diff.after.needDaysUnmet, Figures.days)
        row("cost (£)", diff.before.cost, diff.after.cost, Figures.grouped)
        row("travel (hours)", diff.before.travelHours, diff.after.travelHours, Figures.grouped)
        row("pairings", Double(diff.before.pairings), Double(diff.after.pairings), Figures.grouped)
        if let b = diff.before.objective, let a = diff.after.objective { row("objective", b, a, Figures.objective) }
        out += totals.render()
        out += "\nPairings kept: \(diff.kept); ended: \(diff.removed.count); new: \(diff.added.count)"
        if !after.visits.isEmpty { out += "; dated visits kept: \(diff.visitsKept) of \(after.visits.count)" }
        out += "\n"
        if diff.schools.isEmpty {
            out += "\nNo school changes adviser.\n"
        } else {
            out += "\nSchools whose advisers change:\n"
            var table = TextTable(headers: ["school", "name", "lead before", "lead after", "advisers before", "advisers after", "why"],
                                  maxWidths: [nil, 28, nil, nil, 20, 20, nil])
            for s in diff.schools {
                table.add([s.school, s.name, s.leadBefore ?? "—", s.leadAfter ?? "—", s.advisersBefore.joined(separator: ", "),
                           s.advisersAfter.joined(separator: ", "), s.why])
            }
            out += table.render(indent: "  ")
        }
        if !diff.advisers.isEmpty {
            out += "\nAdvisers whose load changes (visit days):\n"
            var table = TextTable(headers: ["adviser", "before", "after", "schools before", "schools after"],
                                  alignments: [.left, .right, .right, .left, .left], maxWidths: [nil, nil, nil, 36, 36])
            for a in diff.advisers {
                table.add([a.adviser, Figures.days(a.daysBefore), Figures.days(a.daysAfter), a.schoolsBefore.joined(separator: ", "),
                           a.schoolsAfter.joined(separator: ", ")])
            }
            out += table.render(indent: "  ")
        }
        return out
    }
}
