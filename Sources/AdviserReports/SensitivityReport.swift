import AdviserModel
import AdviserSolver
import Foundation

/// Views of a sensitivity analysis and of a budget frontier: terminal tables, CSV and an SVG chart.
public enum SensitivityView {
    /// Terminal tables: what each adviser's absence costs, the marginal value of a day (LP relaxation), and the
    /// schools with fewest eligible advisers (the ten hardest).
    public static func table(_ report: SensitivityReport) -> String {
        let plan = report.base
        func name(_ id: String) -> String { plan.adviser(id)?.name ?? "" }
        var out = ""

        switch report.replan {
        case .whole: out += "Without each adviser (re-solved from the plan with their work removed)\n"
        case .neighbourhood: out += "Without each adviser (re-planned around them: their schools and those of the advisers\nwho could cover them; the rest as in the base plan)\n"
        }
        var losses = TextTable(headers: ["adviser", "name", "unmet days", "change", "objective change", "note"],
                               alignments: [.left, .left, .right, .right, .right, .left], maxWidths: [nil, 24, nil, nil, nil, 60])
        losses.wrapping = [5]
        for loss in report.losses {
            if !loss.feasible {
                losses.add([loss.adviser, name(loss.adviser), "no plan", "", "", loss.note])
            } else if let after = loss.objectiveAfter {
                losses.add([loss.adviser, name(loss.adviser),
                            "\(Figures.days(loss.unmetDaysBefore)) → \(Figures.days(loss.unmetDaysAfter))",
                            signed(loss.unmetDaysAfter - loss.unmetDaysBefore, Figures.days),
                            signed(after - loss.objectiveBefore, Figures.grouped), loss.note])
            } else {
                losses.add([loss.adviser, name(loss.adviser), "?", "", "", loss.note])
            }
        }
        out += losses.render(indent: "  ")
        let beaten = report.losses.filter(\.beatsBase).count
        if beaten > 0 {
            let text = "\(beaten) of these re-solves found a better plan without the adviser than the base plan with"
                + " them: the base is not optimal (\(plan.standing)), so \(beaten == 1 ? "that figure mixes" : "those figures mix") what a"
                + " longer search finds with what the adviser is worth. Solve the base for longer (a larger --time-limit or"
                + " --node-limit) and measure again."
            out += "\n" + TextTable.wrap(text, to: 76).map { "  " + $0 + "\n" }.joined()
        }

        out += "\nValue of one more day, from the duals of the LP relaxation\n(integer decisions relaxed; small changes only)\n"
        if let skipped = report.marginalValuesSkipped {
            for line in TextTable.wrap(skipped, to: 76) { out += "  " + line + "\n" }
        } else {
            out += dayValues(report, name: name)
        }

        let shown = report.hardestSchools.prefix(10)
        out += "\nSchools with fewest eligible advisers\n"
        var schools = TextTable(headers: ["school", "name", "eligible advisers", "possible leads"],
                                alignments: [.left, .left, .right, .right], maxWidths: [nil, 40, nil, nil])
        for school in shown { schools.add([school.school, school.name, String(school.eligibleAdvisers), String(school.eligibleLeads)]) }
        out += schools.render(indent: "  ")
        if report.hardestSchools.count > shown.count {
            out += "  … and \(report.hardestSchools.count - shown.count) more\n"
        }
        return out
    }

    /// The marginal values: per adviser, then per area.
    static func dayValues(_ report: SensitivityReport, name: (String) -> String) -> String {
        var advisers = TextTable(headers: ["adviser", "name", "points per day"], alignments: [.left, .left, .right], maxWidths: [nil, 24, nil])
        for value in report.adviserDayValues { advisers.add([value.subject, name(value.subject), Figures.grouped(value.value)]) }
        var out = advisers.render(indent: "  ")
        out += "\n  One more day of expertise, by area (free of travel, at the need where it is\n  worth most: an upper estimate)\n"
        var areas = TextTable(headers: ["area", "points per day"], alignments: [.left, .right])
        for value in report.areaDayValues { areas.add([value.subject, Figures.grouped(value.value)]) }
        return out + areas.render(indent: "  ")
    }

    public static func frontierTable(_ points: [FrontierPoint]) -> String {
        var table = TextTable(headers: ["budget", "status", "cost", "need-days met", "coverage", "objective", "gap"],
                              alignments: [.right, .left, .right, .right, .right, .right, .right])
        for p in points {
            let noPlan = p.status == .infeasible || (p.status == .timeLimit && p.gap == nil)
            table.add([Figures.pounds(p.budget), noPlan && p.status == .timeLimit ? "no plan" : p.status.rawValue,
                       noPlan ? "" : Figures.pounds(p.cost),
                       noPlan ? "" : "\(Figures.days(p.needDaysMet)) of \(Figures.days(p.needDaysTotal))",
                       noPlan ? "" : String(format: "%.1f%%", p.coverage * 100),
                       noPlan ? "" : Figures.grouped(p.weightedValue),
                       p.gap.map { String(format: "%.1f%%", $0 * 100) } ?? ""])
        }
        return table.render()
    }

    /// RFC 4180 with CRLF line ends; header budget,status,cost,need_days_met,need_days_total,coverage_pct,objective,gap.
    /// Numbers in plain decimal (no grouping, at most 6 decimals, trailing zeros dropped; coverage to 2 decimals);
    /// gap is empty when there is no plan.
    public static func frontierCSV(_ points: [FrontierPoint]) -> String {
        var lines = ["budget,status,cost,need_days_met,need_days_total,coverage_pct,objective,gap"]
        for p in points {
            let fields = [plain(p.budget), p.status.rawValue, plain(p.cost), plain(p.needDaysMet), plain(p.needDaysTotal),
                          plain(p.coverage * 100, places: 2), plain(p.weightedValue), p.gap.map { plain($0) } ?? ""]
            lines.append(fields.map(csvField).joined(separator: ","))
        }
        return lines.map { $0 + "\r\n" }.joined()
    }

    /// A self-contained SVG line chart of coverage against budget: one circle per point (hollow where there is no
    /// plan), axes with ticks and labels, and the title. Same input, same bytes.
    public static func frontierSVG(_ points: [FrontierPoint], title: String) -> String {
        let width = 720.0, height = 440.0
        let left = 80.0, right = 30.0, top = 50.0, bottom = 60.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let sorted = points.enumerated().sorted { ($0.element.budget, $0.offset) < ($1.element.budget, $1.offset) }.map(\.element)

        var low = sorted.first?.budget ?? 0, high = sorted.last?.budget ?? 1
        if high - low < 1e-9 { low -= 1; high += 1 }
        let xTicks = niceTicks(low, high, about: 6)
        if let first = xTicks.first, first < low { low = first }
        if let last = xTicks.last, last > high { high = last }
        func x(_ budget: Double) -> Double { left + (budget - low) / (high - low) * plotWidth }
        func y(_ percent: Double) -> Double { top + plotHeight - min(max(percent, 0), 100) / 100 * plotHeight }

        var svg: [String] = []
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"sans-serif\" font-size=\"12\">")
        svg.append("<title>\(xml(title))</title>")
        svg.append("<rect x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"#ffffff\"/>")
        svg.append("<text x=\"\(f(width / 2))\" y=\"28\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">\(xml(title))</text>")
        // Grid and y axis: 0-100% coverage.
        for percent in stride(from: 0, through: 100, by: 20) {
            let yy = y(Double(percent))
            svg.append("<line x1=\"\(f(left))\" y1=\"\(f(yy))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(yy))\" stroke=\"#e0e0e0\"/>")
            svg.append("<line x1=\"\(f(left - 5))\" y1=\"\(f(yy))\" x2=\"\(f(left))\" y2=\"\(f(yy))\" stroke=\"#000000\"/>")
            svg.append("<text x=\"\(f(left - 8))\" y=\"\(f(yy + 4))\" text-anchor=\"end\">\(percent)%</text>")
        }
        for tick in xTicks {
            let xx = x(tick)
            svg.append("<line x1=\"\(f(xx))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(xx))\" y2=\"\(f(top + plotHeight + 5))\" stroke=\"#000000\"/>")
            svg.append("<text x=\"\(f(xx))\" y=\"\(f(top + plotHeight + 20))\" text-anchor=\"middle\">\(xml(Figures.pounds(tick)))</text>")
        }
        svg.append("<line x1=\"\(f(left))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(top + plotHeight))\" stroke=\"#000000\"/>")
        svg.append("<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotHeight))\" stroke=\"#000000\"/>")
        svg.append("<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 15))\" text-anchor=\"middle\">budget (£)</text>")
        svg.append("<text x=\"20\" y=\"\(f(top + plotHeight / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 20 \(f(top + plotHeight / 2)))\">need-days met (% coverage)</text>")
        if sorted.count > 1 {
            let path = sorted.map { "\(f(x($0.budget))),\(f(y($0.coverage * 100)))" }.joined(separator: " ")
            svg.append("<polyline points=\"\(path)\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>")
        }
        for p in sorted {
            let planned = p.status != .infeasible && !(p.status == .timeLimit && p.gap == nil)
            let label = "\(Figures.pounds(p.budget)): " + (planned ? String(format: "%.1f%% of need-days met", p.coverage * 100) : "no plan (\(p.status.rawValue))")
            svg.append("<circle cx=\"\(f(x(p.budget)))\" cy=\"\(f(y(p.coverage * 100)))\" r=\"4\" fill=\"\(planned ? "#1f5fa8" : "#ffffff")\" stroke=\"#1f5fa8\" stroke-width=\"1.5\"><title>\(xml(label))</title></circle>")
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    // MARK: Helpers

    static func signed(_ x: Double, _ format: (Double) -> String) -> String {
        let text = format(x)
        if text == "0" || text == "-0" { return "0" }
        return x > 0 ? "+" + text : text
    }

    /// Fixed notation for SVG coordinates: one decimal, never "-0.0".
    static func f(_ x: Double) -> String {
        let text = String(format: "%.1f", x)
        return text == "-0.0" ? "0.0" : text
    }

    /// Plain decimal for CSV: rounded to `places`, trailing zeros and point dropped.
    static func plain(_ x: Double, places: Int = 6) -> String {
        var text = String(format: "%.\(places)f", x)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func xml(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Round tick values (1, 2, 2.5 or 5 × a power of ten) covering [low, high] in about `count` steps.
    static func niceTicks(_ low: Double, _ high: Double, about count: Int) -> [Double] {
        let raw = (high - low) / Double(max(1, count))
        let power = pow(10, floor(log10(raw)))
        let step = [1, 2, 2.5, 5, 10].map { $0 * power }.first { $0 >= raw - 1e-12 } ?? 10 * power
        let first = floor(low / step + 1e-9) * step
        var ticks: [Double] = []
        var k = 0.0
        while first + k * step <= high + step * 1e-9 {
            ticks.append(first + k * step)
            k += 1
        }
        if let last = ticks.last, last < high - step * 1e-9 { ticks.append(last + step) }
        return ticks
    }
}
