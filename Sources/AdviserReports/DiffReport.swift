import AdviserSolver

/// A what-if or comparison, in words a planner can act on.
public enum DiffReport {
    /// "Pairings kept: K; ended: E; new: N" and, when the plan has dates, the dated visits kept.
    public static func keptLine(_ diff: PlanDiff, after: Plan) -> String {
        var line = "Pairings kept: \(diff.kept); ended: \(diff.removed.count); new: \(diff.added.count)"
        if !after.visits.isEmpty { line += "; dated visits kept: \(diff.visitsKept) of \(after.visits.count)" }
        return line
    }

    public static func text(_ diff: PlanDiff, before: Plan, after: Plan, changes: [String] = []) -> String {
        var out = ""
        if !changes.isEmpty {
            out += "Changes:\n" + changes.map { "  - \($0)\n" }.joined() + "\n"
        }
        var totals = TextTable(headers: ["", "before", "after", "change"], alignments: [.left, .right, .right, .right])
        for row in totalRows(diff) { totals.add([row.label, row.before, row.after, row.change]) }
        out += totals.render()
        out += "\n" + keptLine(diff, after: after) + "\n"
        if diff.schools.isEmpty {
            out += "\nNo school changes adviser.\n"
        } else {
            out += "\nSchools whose advisers change:\n"
            var table = TextTable(headers: ["school", "name", "lead before", "lead after", "advisers before", "advisers after", "why"],
                                  maxWidths: [nil, 28, nil, nil, 20, 20, nil])
            table.wrapping = [4, 5, 6]
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
            table.wrapping = [3, 4]
            for a in diff.advisers {
                table.add([a.adviser, Figures.days(a.daysBefore), Figures.days(a.daysAfter), a.schoolsBefore.joined(separator: ", "),
                           a.schoolsAfter.joined(separator: ", ")])
            }
            out += table.render(indent: "  ")
        }
        return out
    }

    /// One line of the before/after totals, already formatted.
    public struct TotalRow: Sendable, Equatable {
        public var label: String
        public var before: String
        public var after: String
        /// "+2.5", "-£1,200" style difference, or "—" when unchanged.
        public var change: String
    }

    /// The before/after totals shared by the terminal and HTML views, so both say the same thing.
    /// `objective: false` leaves the objective out (a what-if plan's stored objective includes its disruption bonus).
    public static func totalRows(_ diff: PlanDiff, objective: Bool = true) -> [TotalRow] {
        var rows: [TotalRow] = []
        func row(_ label: String, _ b: Double, _ a: Double, _ format: (Double) -> String) {
            let delta = a - b
            rows.append(TotalRow(label: label, before: format(b), after: format(a),
                                 change: abs(delta) < 1e-9 ? "—" : (delta > 0 ? "+" : "-") + format(abs(delta))))
        }
        row("need-days covered", diff.before.needDaysCovered, diff.after.needDaysCovered, Figures.days)
        row("need-days unmet", diff.before.needDaysUnmet, diff.after.needDaysUnmet, Figures.days)
        row("cost (£)", diff.before.cost, diff.after.cost, Figures.grouped)
        row("travel (hours)", diff.before.travelHours, diff.after.travelHours, Figures.grouped)
        row("pairings", Double(diff.before.pairings), Double(diff.after.pairings), Figures.grouped)
        if objective, let b = diff.before.objective, let a = diff.after.objective { row("objective", b, a, Figures.objective) }
        return rows
    }
}
