import Foundation

/// Writes a `Scenario` as a scenario folder (scenario.toml and the CSV tables) that `ScenarioLoader` reads
/// back: CSV with one header row, RFC 4180 quoting where a cell needs it, `\n` line ends, UTF-8. Rows follow
/// the scenario's order of schools and advisers, so the same scenario always gives the same bytes.
public enum ScenarioWriter {
    /// The files in the order they are written: scenario.toml first, then the tables.
    public static func files(_ s: Scenario) -> [(name: String, text: String)] {
        [
            ("scenario.toml", manifest(s)),
            ("schools.csv", schoolsCSV(s)),
            ("advisers.csv", advisersCSV(s)),
            ("needs.csv", needsCSV(s)),
            ("availability.csv", availabilityCSV(s)),
            ("leave.csv", leaveCSV(s)),
            ("closures.csv", closuresCSV(s)),
        ]
    }

    // MARK: scenario.toml

    public static func manifest(_ s: Scenario) -> String {
        var t = "# Generated scenario. Schools, advisers and needs are invented; local authority names and\n"
        t += "# free-school-meal levels follow the DfE's 2022/23 school census (Open Government Licence v3).\n"
        t += "[programme]\n"
        t += "name = \(tomlString(s.programme.name))\n"
        if !s.programme.description.isEmpty { t += "description = \(tomlString(s.programme.description))\n" }
        t += "start = \(s.programme.start)\nend = \(s.programme.end)\n"
        if let budget = s.programme.budget { t += "budget = \(number(budget))\n" }
        t += "\n[files]\nschools = \"schools.csv\"\nadvisers = \"advisers.csv\"\nneeds = \"needs.csv\"\n"
        t += "availability = \"availability.csv\"\nleave = \"leave.csv\"\nclosures = \"closures.csv\"\n"
        let r = s.rules
        t += "\n[rules]\nindependence = \"\(r.independence.rawValue)\"\nrequire_lead = \(r.requireLead)\n"
        t += "lead_days = \(number(r.leadDays))\nmax_travel_minutes = \(number(r.maxTravelMinutes))\n"
        t += "working_day_hours = \(number(r.workingDayHours))\ntravel_uses_capacity = \(r.travelUsesCapacity)\n"
        if let k = r.candidateAdvisers { t += "candidate_advisers = \(k)\n" }
        if r.areas != Rules.defaultAreas { t += "areas = [\(r.areas.map(tomlString).joined(separator: ", "))]\n" }
        t += "\n[travel]\nroad_factor = \(number(s.travel.roadFactor))\naverage_speed_kmh = \(number(s.travel.averageSpeedKmh))\n"
        let w = s.weights
        t += "\n[weights]\nexpertise = \(number(w.expertise))\ndisadvantage = \(number(w.disadvantage))\n"
        t += "continuity = \(number(w.continuity))\ntravel = \(number(w.travel))\nunmet_penalty = \(number(w.unmetPenalty))\n"
        for term in s.terms {
            t += "\n[[terms]]\nname = \(tomlString(term.name))\nstart = \(term.start)\nend = \(term.end)\n"
            if let half = term.halfTerm { t += "half_term_start = \(half.start)\nhalf_term_end = \(half.end)\n" }
        }
        t += "\n[calendar]\nbank_holidays = \"england-and-wales\"\n"
        let closures = s.extraClosures.map { c in
            c.start == c.end && c.reason.isEmpty ? "\(c.start)"
                : "{ start = \(c.start), end = \(c.end)\(c.reason.isEmpty ? "" : ", reason = " + tomlString(c.reason)) }"
        }
        t += "extra_closures = [\(closures.joined(separator: ", "))]\n"
        let v = s.visits
        t += "\n[visits]\nday_start = \"\(v.dayStart)\"\nday_end = \"\(v.dayEnd)\"\nhalf_days = \(v.halfDays)\n"
        t += "morning_end = \"\(v.morningEnd)\"\nafternoon_start = \"\(v.afternoonStart)\"\n"
        t += "min_gap_days = \(v.minGapDays)\nmax_days_per_week = \(v.maxDaysPerWeek)\n"
        return t
    }

    // MARK: tables

    public static func schoolsCSV(_ s: Scenario) -> String {
        var t = "id,name,phase,local_authority,trust,pupils,disadvantaged_pct,inspection_grade,latitude,longitude\n"
        t.reserveCapacity(s.schools.count * 120)
        for x in s.schools {
            row(&t, [x.id, x.name, x.phase.rawValue, x.localAuthority, x.trust ?? "", String(x.pupils), number(x.disadvantagedPercent),
                     x.inspectionGrade.map(String.init) ?? "", fixed4(x.location.latitude), fixed4(x.location.longitude)])
        }
        return t
    }

    public static func advisersCSV(_ s: Scenario) -> String {
        var t = "id,name,role,home_latitude,home_longitude,phases,expertise,capacity_days,max_schools,day_rate,employer_trust,employer_la,home_school\n"
        t.reserveCapacity(s.advisers.count * 200)
        for a in s.advisers {
            row(&t, [a.id, a.name, a.role, fixed4(a.home.latitude), fixed4(a.home.longitude),
                     a.phases.map(\.rawValue).joined(separator: ";"),
                     a.expertise.map { "\($0.area):\($0.level)" }.joined(separator: ";"),
                     number(a.capacityDays), String(a.maxSchools), number(a.dayRate), a.employerTrust ?? "",
                     a.employerLocalAuthority ?? "", a.homeSchool ?? ""])
        }
        return t
    }

    public static func needsCSV(_ s: Scenario) -> String {
        var t = "school,area,days,priority\n"
        t.reserveCapacity(s.needs.count * 30)
        for n in s.needs { row(&t, [n.school, n.area, number(n.days), String(n.priority)]) }
        return t
    }

    static let weekdayCodes = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    public static func availabilityCSV(_ s: Scenario) -> String {
        var t = "adviser,weekdays,preferred_weekdays,max_days_per_week\n"
        for a in s.advisers {
            guard let row = s.availability[a.id] else { continue }
            ScenarioWriter.row(&t, [a.id, row.weekdays.map { weekdayCodes[$0 - 1] }.joined(separator: ";"),
                                    row.preferredWeekdays.map { weekdayCodes[$0 - 1] }.joined(separator: ";"),
                                    String(row.maxDaysPerWeek)])
        }
        return t
    }

    public static func leaveCSV(_ s: Scenario) -> String {
        var t = "adviser,start,end,reason\n"
        for a in s.advisers {
            for r in s.leave[a.id] ?? [] { row(&t, [a.id, "\(r.start)", "\(r.end)", r.reason]) }
        }
        return t
    }

    public static func closuresCSV(_ s: Scenario) -> String {
        var t = "school,start,end,reason\n"
        for x in s.schools {
            for r in s.closures[x.id] ?? [] { row(&t, [x.id, "\(r.start)", "\(r.end)", r.reason]) }
        }
        return t
    }

    /// Writes every file into `directory` (created if missing).
    public static func write(_ s: Scenario, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, text) in files(s) {
            try Data(text.utf8).write(to: URL(fileURLWithPath: directory).appendingPathComponent(name), options: .atomic)
        }
    }

    // MARK: formatting

    /// One CSV record: cells quoted per RFC 4180 when they hold a comma, quote, line break or edge space.
    static func row(_ text: inout String, _ cells: [String]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { text += "," }
            text += csvCell(cell)
        }
        text += "\n"
    }

    public static func csvCell(_ cell: String) -> String {
        let needsQuotes = cell.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
            || cell.hasPrefix(" ") || cell.hasSuffix(" ")
        guard needsQuotes else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func tomlString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A figure without a needless fraction: 2, 2.5, 0.05.
    static func number(_ x: Double) -> String {
        if x == x.rounded() && abs(x) < 1e15 { return String(Int(x)) }
        return "\(x)"
    }

    /// Exactly four decimals, e.g. 53.4300 or -0.0300, independent of locale.
    static func fixed4(_ x: Double) -> String {
        let scaled = Int((abs(x) * 10000).rounded())
        let sign = x < 0 && scaled != 0 ? "-" : ""
        let fraction = String(scaled % 10000)
        return sign + String(scaled / 10000) + "." + String(repeating: "0", count: 4 - fraction.count) + fraction
    }
}
