import AdviserModel
import AdviserSolver

/// Terminal views of a plan's dated visits.
public enum ScheduleReport {
    static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func longDate(_ d: CivilDate) -> String {
        "\(weekdayNames[d.weekday - 1]) \(d.day < 10 ? "0" : "")\(d.day) \(monthNames[d.month - 1]) \(d.year)"
    }

    /// "k of n" for every visit: its place among the visits of its adviser-school pairing, in date order.
    public static func visitNumbers(_ plan: Plan) -> [Int: (Int, Int)] {
        var numbers: [Int: (Int, Int)] = [:]
        let order = plan.visits.indices.sorted { (plan.visits[$0].date, plan.visits[$0].start) < (plan.visits[$1].date, plan.visits[$1].start) }
        let groups = Dictionary(grouping: order, by: { plan.visits[$0].adviser + "|" + plan.visits[$0].school })
        for (_, indices) in groups {
            for (k, i) in indices.enumerated() { numbers[i] = (k + 1, indices.count) }
        }
        return numbers
    }

    /// Week-by-week table of visits, optionally for one adviser, one school or one ISO week (YYYY-Www).
    public static func weekByWeek(_ plan: Plan, adviser: String? = nil, school: String? = nil, week: String? = nil) -> String {
        let numbers = visitNumbers(plan)
        var table = TextTable(headers: ["week", "date", "time", "adviser", "school", "areas", "visit"],
                              alignments: [.left, .left, .left, .left, .left, .left, .right], maxWidths: [nil, nil, nil, nil, 30, 28, nil])
        table.wrapping = [5]
        var lastWeek = ""
        for (i, visit) in plan.visits.enumerated() {
            if let adviser, visit.adviser != adviser { continue }
            if let school, visit.school != school { continue }
            let label = visit.date.isoWeekLabel
            if let week, label != week { continue }
            let (k, n) = numbers[i]!
            table.add([label == lastWeek ? "" : label, longDate(visit.date), "\(visit.start)-\(visit.end)", visit.adviser,
                       plan.school(visit.school)?.name ?? visit.school, visit.areas.joined(separator: ", "), "\(k) of \(n)"])
            lastWeek = label
        }
        if table.rows.isEmpty { return "No visits match.\n" }
        return table.render()
    }

    /// The columns of `csv`, for spreadsheets; columns may be added at the end, never renamed.
    public static let csvColumns = ["date", "weekday", "week", "start", "end", "adviser", "adviser_name", "school", "school_name",
                                    "local_authority", "areas", "visit", "of"]

    /// One row per dated visit, for a spreadsheet, with the same filters as `weekByWeek`: date as YYYY-MM-DD,
    /// weekday, ISO week, start and end as HH:MM (Europe/London), the visit's areas joined by `;` (`lead` for
    /// the lead's own days), and `visit` of `of`, its place among the visits of its adviser-school pairing.
    /// Rows are in date and start order, then adviser and school. Visits without a date are not rows; the
    /// text view lists them. Cells a spreadsheet would run as formulas are neutralised (`SpreadsheetCSV.cell`).
    public static func csv(_ plan: Plan, adviser: String? = nil, school: String? = nil, week: String? = nil) -> String {
        let numbers = visitNumbers(plan)
        let chosen = plan.visits.indices.filter { i in
            let v = plan.visits[i]
            return (adviser == nil || v.adviser == adviser) && (school == nil || v.school == school)
                && (week == nil || v.date.isoWeekLabel == week)
        }.sorted { a, b in
            let (x, y) = (plan.visits[a], plan.visits[b])
            let (sx, sy) = (minutesSinceMidnight(x.start) ?? Int.max, minutesSinceMidnight(y.start) ?? Int.max)
            return (x.date.dayNumber, sx, x.adviser, x.school, a) < (y.date.dayNumber, sy, y.adviser, y.school, b)
        }
        var out = SpreadsheetCSV.row(csvColumns)
        for i in chosen {
            let v = plan.visits[i]
            let place = plan.school(v.school)
            let (k, n) = numbers[i]!
            out += SpreadsheetCSV.row([
                "\(v.date)", weekdayNames[v.date.weekday - 1], v.date.isoWeekLabel, v.start, v.end,
                v.adviser, plan.adviser(v.adviser)?.name ?? "", v.school, place?.name ?? "", place?.localAuthority ?? "",
                v.areas.joined(separator: ";"), String(k), String(n),
            ])
        }
        return out
    }

    /// Visit days per month for each adviser, with totals against capacity.
    public static func load(_ plan: Plan, adviser: String? = nil) -> String {
        let advisers = plan.advisers.filter { a in (adviser == nil || a.id == adviser) && plan.visits.contains { $0.adviser == a.id } }
        guard !advisers.isEmpty, let first = plan.visits.map(\.date).min(), let last = plan.visits.map(\.date).max() else { return "" }
        var days: [String: Double] = [:]
        for visit in plan.visits {
            // Whole-day visits last the visit day; half days about half of it.
            let length = ((minutesSinceMidnight(visit.end) ?? 0) - (minutesSinceMidnight(visit.start) ?? 0)) >= 300 ? 1.0 : 0.5
            days[visit.adviser + "|\(visit.date.year)-\(visit.date.month)", default: 0] += length
        }
        var table = TextTable(headers: ["month"] + advisers.map(\.id), alignments: [.left] + advisers.map { _ in .right })
        var (year, month) = (first.year, first.month)
        var totals = [Double](repeating: 0, count: advisers.count)
        while (year, month) <= (last.year, last.month) {
            var row = ["\(monthNames[month - 1]) \(year)"]
            for (i, a) in advisers.enumerated() {
                let d = days[a.id + "|\(year)-\(month)"] ?? 0
                totals[i] += d
                row.append(d == 0 ? "·" : Figures.days(d))
            }
            table.add(row)
            month += 1
            if month == 13 { month = 1; year += 1 }
        }
        table.add(["visit days"] + totals.map(Figures.days))
        table.add(["capacity"] + advisers.map { Figures.days($0.capacityDays) })
        return table.render()
    }

    /// Counts for the end of the schedule view.
    public static func summary(_ plan: Plan) -> String {
        var out = "\(plan.visits.count) visits dated"
        if let first = plan.visits.first?.date, let last = plan.visits.last?.date { out += " from \(first) to \(last)" }
        let missing = plan.unplaced.reduce(0) { $0 + $1.count }
        out += missing == 0 ? "; every visit has a date.\n" : "; \(missing) could not be placed:\n"
        for u in plan.unplaced { out += "  \(u.adviser) at \(u.school): \(u.count) visit\(u.count == 1 ? "" : "s"): \(u.reason)\n" }
        return TextTable.fitProse(out)
    }
}

