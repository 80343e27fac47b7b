import AdviserModel
import AdviserSolver

extension Plan {
    /// Its status, with the gap when not proven: "optimal", "time_limit, gap 26%".
    public var standing: String { status.rawValue + (gap.map { $0 > 0 ? ", gap \(Figures.percent($0))" : "" } ?? "") }
}

/// Terminal views of a plan's allocation.
public enum RosterReport {
    static func areas(_ a: Plan.Assignment) -> String {
        var parts = a.days.keys.sorted().map { "\($0) \(Figures.days(a.days[$0]!))" }
        if a.leadDays > 0 { parts.insert("lead \(Figures.days(a.leadDays))", at: 0) }
        return parts.joined(separator: ", ")
    }

    /// One block per adviser: their schools, areas and days, and their load against capacity.
    public static func byAdviser(_ plan: Plan) -> String {
        var out = ""
        let grouped = Dictionary(grouping: plan.assignments, by: \.adviser)
        var idle: [String] = []
        for adviser in plan.advisers {
            let mine = (grouped[adviser.id] ?? []).sorted { ($0.role == .lead ? 0 : 1, $0.school) < ($1.role == .lead ? 0 : 1, $1.school) }
            if mine.isEmpty { idle.append(adviser.id); continue }
            let used = mine.reduce(0) { $0 + $1.capacityDays }
            let cost = mine.reduce(0) { $0 + $1.cost }
            out += "\(adviser.id)  \(adviser.name)" + (adviser.role.isEmpty ? "" : " (\(adviser.role))") + "\n"
            out += "    \(Figures.days(used)) of \(Figures.days(adviser.capacityDays)) days with travel · \(mine.count) of \(adviser.maxSchools) schools · \(Figures.pounds(cost))\n"
            var table = TextTable(headers: ["role", "school", "name", "days by area", "travel"],
                                  alignments: [.left, .left, .left, .left, .right], maxWidths: [nil, nil, 30, 40, nil])
            table.wrapping = [3]
            for a in mine {
                table.add([a.role.rawValue, a.school, plan.school(a.school)?.name ?? "", areas(a), "\(Int(a.travelMinutes.rounded())) min"])
            }
            out += table.render(indent: "    ") + "\n"
        }
        if !idle.isEmpty { out += "Not used: \(idle.joined(separator: ", "))\n\n" }
        return out
    }

    /// One line per school: its lead, its specialists and any unmet need.
    public static func bySchool(_ plan: Plan) -> String {
        let grouped = Dictionary(grouping: plan.assignments, by: \.school)
        let unmet = Dictionary(grouping: plan.unmet, by: \.school)
        var table = TextTable(headers: ["school", "name", "lead", "specialists", "days", "unmet"],
                              alignments: [.left, .left, .left, .left, .right, .left], maxWidths: [nil, 30, nil, 24, nil, 30])
        table.wrapping = [3, 5]
        for school in plan.schools {
            let mine = grouped[school.id] ?? []
            let lead = mine.first { $0.role == .lead }?.adviser ?? "—"
            let specialists = mine.filter { $0.role == .specialist }.map(\.adviser).sorted().joined(separator: ", ")
            let days = mine.reduce(0) { $0 + $1.visitDays }
            let gaps = (unmet[school.id] ?? []).map { "\($0.area) \(Figures.days($0.days))" }.joined(separator: ", ")
            table.add([school.id, school.name, lead, specialists, Figures.days(days), gaps])
        }
        return table.render()
    }

    /// How `csv` orders its rows, like the two text views.
    public enum Grouping: Sendable {
        /// Advisers in the plan's order; each adviser's lead schools first, then by school id.
        case adviser
        /// Schools in the plan's order; each school's lead first, then by adviser id.
        case school
    }

    /// The columns of `csv`, for spreadsheets; columns may be added at the end, never renamed.
    public static let csvColumns = ["adviser", "adviser_name", "school", "school_name", "local_authority", "phase", "role", "areas",
                                    "lead_days", "need_days", "visit_days", "travel_minutes", "capacity_days", "cost"]

    /// One row per adviser-school pairing, for a spreadsheet: `areas` is `area:days` joined by `;` in area order
    /// (need-days only; the lead's own days are `lead_days`), `visit_days` is their sum, `travel_minutes` one
    /// way, `capacity_days` the adviser's days used with travel, `cost` in pounds. Cells that a spreadsheet
    /// would run as formulas are neutralised (see `SpreadsheetCSV.cell`). Unmet need is not a pairing and is in
    /// the text view and the plan file.
    public static func csv(_ plan: Plan, by grouping: Grouping = .adviser) -> String {
        func leadFirst(_ a: Plan.Assignment) -> Int { a.role == .lead ? 0 : 1 }
        var ordered: [Plan.Assignment] = []
        switch grouping {
        case .adviser:
            let grouped = Dictionary(grouping: plan.assignments, by: \.adviser)
            // Pairings of an adviser missing from the plan's table still appear, after the known ones.
            let ids = plan.advisers.map(\.id) + Set(plan.assignments.map(\.adviser)).subtracting(plan.advisers.map(\.id)).sorted()
            for id in ids {
                ordered += (grouped[id] ?? []).sorted { (leadFirst($0), $0.school) < (leadFirst($1), $1.school) }
            }
        case .school:
            let grouped = Dictionary(grouping: plan.assignments, by: \.school)
            let ids = plan.schools.map(\.id) + Set(plan.assignments.map(\.school)).subtracting(plan.schools.map(\.id)).sorted()
            for id in ids {
                ordered += (grouped[id] ?? []).sorted { (leadFirst($0), $0.adviser) < (leadFirst($1), $1.adviser) }
            }
        }
        var out = SpreadsheetCSV.row(csvColumns)
        for a in ordered {
            let school = plan.school(a.school)
            let needDays = a.days.values.reduce(0, +)
            let areas = a.days.keys.sorted().map { "\($0):\(SpreadsheetCSV.number(a.days[$0]!))" }.joined(separator: ";")
            out += SpreadsheetCSV.row([
                a.adviser, plan.adviser(a.adviser)?.name ?? "", a.school, school?.name ?? "", school?.localAuthority ?? "",
                school?.phase.rawValue ?? "", a.role.rawValue, areas,
                SpreadsheetCSV.number(a.leadDays), SpreadsheetCSV.number(needDays), SpreadsheetCSV.number(a.visitDays),
                SpreadsheetCSV.number(a.travelMinutes), SpreadsheetCSV.number(a.capacityDays), SpreadsheetCSV.number(a.cost),
            ])
        }
        return out
    }

    /// Status, objective, coverage, cost and model size; `seconds` only when known (not stored in plans).
    /// `width`: characters its lines and table are fitted to (nil: whole lines, as in a file).
    /// - Parameter unmetShown: list at most this many unmet needs, the largest (priority times days) in the
    ///   plan's order, and count the rest; nil lists every one.
    public static func summary(_ plan: Plan, seconds: Double? = nil, width: Int? = TextTable.fitWidth, unmetShown: Int? = nil) -> String {
        var out = "Plan for \(plan.scenario.name): \(plan.status.rawValue)"
        if let objective = plan.objective { out += ", objective \(Figures.objective(objective))" }
        if plan.status == .optimal { out += " (proven optimal)" }
        else if let gap = plan.gap { out += ", gap \(Figures.percent(gap))" + (plan.bound.map { " (bound \(Figures.objective($0)))" } ?? "") }
        out += "\n"
        let covered = plan.assignments.reduce(0) { $0 + $1.days.values.reduce(0, +) }
        let total = covered + plan.unmetDays
        out += "Need-days covered: \(Figures.days(covered)) of \(Figures.days(total))"
        if total > 0 { out += " (\(Figures.percent(covered / total)))" }
        out += plan.unmet.isEmpty ? "; every need is met\n" : "; unmet: \(Figures.days(plan.unmetDays)) days in \(plan.unmet.count) need\(plan.unmet.count == 1 ? "" : "s")\n"
        let leads = plan.assignments.filter { $0.role == .lead }.count
        out += "Schools: \(plan.schools.count), with a lead adviser: \(leads); advisers used: \(Set(plan.assignments.map(\.adviser)).count) of \(plan.advisers.count)\n"
        out += "Cost: \(Figures.pounds(plan.totalCost))" + (plan.scenario.budget.map { " of \(Figures.pounds($0)) budget" } ?? " (no budget set)") + "\n"
        out += "Model: \(Figures.grouped(Double(plan.model.variables))) variables (\(Figures.grouped(Double(plan.model.integerVariables))) integer), \(Figures.grouped(Double(plan.model.constraints))) constraints, \(Figures.grouped(Double(plan.model.nonzeros))) nonzeros"
        if let seconds { out += "; solved in \(String(format: "%.2f", seconds)) s" }
        out += "\n"
        if let k = plan.model.candidateAdvisers {
            out += "Candidates: each school's \(k) nearest eligible advisers (rules.candidate_advisers); status and gap are within that choice\n"
        }
        out = TextTable.fitProse(out, width: width)
        if !plan.unmet.isEmpty {
            out += "\nUnmet needs:\n"
            var table = TextTable(headers: ["school", "area", "days", "priority", "reason", "detail"],
                                  alignments: [.left, .left, .right, .right, .left, .left], maxWidths: [nil, nil, nil, nil, nil, 50])
            table.wrapping = [5]
            var shown = Array(plan.unmet.indices)
            if let limit = unmetShown, shown.count > limit {
                let weight = { (k: Int) in Double(plan.unmet[k].priority) * plan.unmet[k].days }
                shown = shown.sorted { weight($0) != weight($1) ? weight($0) > weight($1) : $0 < $1 }.prefix(limit).sorted()
            }
            for u in shown.map({ plan.unmet[$0] }) {
                table.add([u.school, u.area, Figures.days(u.days), String(u.priority), u.reason.rawValue.replacingOccurrences(of: "_", with: " "), u.detail])
            }
            out += table.render(indent: "  ", width: width)
            if shown.count < plan.unmet.count {
                out += "  The \(shown.count) largest (priority times days) of \(Figures.grouped(Double(plan.unmet.count))) unmet needs.\n"
            }
        }
        return out
    }

    /// The line that says a node limit ended part of the search, or nil when none did. Under a time limit a
    /// programme solved region by region can end both ways: small regions at their own node limit, the rest
    /// at the time limit, and the plan's status (`time_limit`) names only the second.
    public static func nodeLimitNote(_ plan: Plan, nodes: Int, stoppedByNodeLimit: Bool) -> String? {
        guard stoppedByNodeLimit, plan.status != .optimal else { return nil }
        let count = Figures.grouped(Double(nodes))
        if plan.status == .timeLimit {
            return "Some regions stopped at their node limit (--node-limit, counted per region) and the rest at --time-limit, after \(count) nodes in all; the gap above says how far from proven the plan is.\n"
        }
        return "Search stopped after \(count) nodes (--node-limit); the gap above says how far from proven the plan is.\n"
    }
}
