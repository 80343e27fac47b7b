import Foundation

/// Row-by-row readers for the scenario's CSV tables. Each checks every cell and records located problems.
enum TableReaders {
    static let ukLatitude = 49.8...60.9
    static let ukLongitude = -8.7...1.8

    /// Every non-empty value of the `id` column; nil when the table has no `id` column or a header damaged by a
    /// quote (that is reported on its own, so other tables' references to it are not checked).
    static func listedIDs(_ table: CSVTable) -> Set<String>? {
        guard !table.headerDamaged, let column = table.header.firstIndex(where: { $0.text == "id" }) else { return nil }
        return Set(table.records.compactMap { $0.cells.count > column && !$0.cells[column].text.isEmpty ? $0.cells[column].text : nil })
    }

    static func schools(_ table: CSVTable, log: inout DiagnosticLog) -> [School] {
        let reader = CSVReader(table: table, required: ["id", "name", "phase", "local_authority", "latitude", "longitude"],
                               optional: ["trust", "pupils", "disadvantaged_pct", "inspection_grade"], log: &log)
        guard reader.usable else { return [] }
        var schools: [School] = []
        var seen: [String: Int] = [:]
        for record in table.records {
            let id = reader.text(record, "id", log: &log)
            if let id, let cell = reader.cell(record, "id") {
                if let first = seen[id] {
                    log.add(table.file, cell.line, cell.column, "school id \(id) is listed twice (first on line \(first))")
                    continue
                }
                seen[id] = record.line
            }
            let name = reader.text(record, "name", log: &log)
            let phase = phaseValue(reader, record, "phase", log: &log)
            let la = reader.text(record, "local_authority", log: &log)
            let trust = reader.text(record, "trust", required: false, log: &log)
            let pupils = reader.integer(record, "pupils", range: 0...5000, required: false, log: &log)
            let pct = reader.number(record, "disadvantaged_pct", range: 0...100, required: false, log: &log)
            let grade = reader.integer(record, "inspection_grade", range: 1...4, required: false, log: &log)
            let lat = reader.number(record, "latitude", range: ukLatitude, log: &log)
            let lon = reader.number(record, "longitude", range: ukLongitude, log: &log)
            guard let id, let name, let phase, let la, let lat, let lon else { continue }
            schools.append(School(id: id, name: name, phase: phase, localAuthority: la, trust: trust, pupils: pupils ?? 0,
                                  disadvantagedPercent: pct ?? 0, inspectionGrade: grade, location: GeoPoint(latitude: lat, longitude: lon)))
        }
        return schools
    }

    static func phaseValue(_ reader: CSVReader, _ record: CSVTable.Record, _ column: String, log: inout DiagnosticLog) -> Phase? {
        guard let text = reader.text(record, column, log: &log), let cell = reader.cell(record, column) else { return nil }
        return parsePhase(text, file: reader.table.file, line: cell.line, column: cell.column, log: &log)
    }

    static func parsePhase(_ text: String, file: String, line: Int, column: Int, log: inout DiagnosticLog) -> Phase? {
        if let phase = Phase(rawValue: text.lowercased()) { return phase }
        var message = "unknown phase `\(text)`; expected one of \(Phase.allCases.map(\.rawValue).joined(separator: ", "))"
        if let hint = closestMatch(to: text, in: Phase.allCases.map(\.rawValue)) { message += " (did you mean `\(hint)`?)" }
        log.add(file, line, column, message)
        return nil
    }

    static func areaName(_ text: String, areas: [String], file: String, line: Int, column: Int, log: inout DiagnosticLog) -> String? {
        if areas.contains(text) { return text }
        var message = "unknown area `\(text)`"
        // Names people commonly use for the default areas, so the hint is right rather than merely close.
        let synonyms = ["numeracy": "maths", "mathematics": "maths", "math": "maths", "sen": "send", "eyfs": "early-years",
                        "early years": "early-years", "reading": "literacy", "english": "literacy", "phonics": "literacy"]
        if let synonym = synonyms[text.lowercased()], areas.contains(synonym) { message += "; did you mean `\(synonym)`?" }
        else if let hint = closestMatch(to: text, in: areas, maxDistance: 2) { message += "; did you mean `\(hint)`?" }
        else { message += "; the programme's areas are \(areas.joined(separator: ", ")) (set them with `rules.areas` in scenario.toml)" }
        log.add(file, line, column, message)
        return nil
    }

    static func advisers(_ table: CSVTable, areas: [String], schoolIDs: Set<String>?, log: inout DiagnosticLog) -> [Adviser] {
        let reader = CSVReader(table: table,
                               required: ["id", "name", "home_latitude", "home_longitude", "phases", "expertise", "capacity_days", "max_schools", "day_rate"],
                               optional: ["role", "employer_trust", "employer_la", "home_school"], log: &log)
        guard reader.usable else { return [] }
        var advisers: [Adviser] = []
        var seen: [String: Int] = [:]
        for record in table.records {
            let id = reader.text(record, "id", log: &log)
            if let id, let cell = reader.cell(record, "id") {
                if let first = seen[id] {
                    log.add(table.file, cell.line, cell.column, "adviser id \(id) is listed twice (first on line \(first))")
                    continue
                }
                seen[id] = record.line
            }
            let name = reader.text(record, "name", log: &log)
            let role = reader.text(record, "role", required: false, log: &log) ?? ""
            let lat = reader.number(record, "home_latitude", range: ukLatitude, log: &log)
            let lon = reader.number(record, "home_longitude", range: ukLongitude, log: &log)
            var phases: [Phase]?
            if let text = reader.text(record, "phases", log: &log), let cell = reader.cell(record, "phases") {
                var list: [Phase] = []
                var ok = true
                for part in text.split(separator: ";", omittingEmptySubsequences: false) {
                    let p = part.trimmingCharacters(in: .whitespaces)
                    guard let phase = parsePhase(p, file: table.file, line: cell.line, column: cell.column, log: &log) else { ok = false; continue }
                    if !list.contains(phase) { list.append(phase) }
                }
                if ok { phases = list.sorted() }
            }
            var expertise: [Expertise]?
            if let text = reader.text(record, "expertise", log: &log), let cell = reader.cell(record, "expertise") {
                var list: [Expertise] = []
                var ok = true
                for part in text.split(separator: ";", omittingEmptySubsequences: false) {
                    let pieces = part.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard pieces.count == 2, let level = Int(pieces[1]), (1...3).contains(level) else {
                        log.add(table.file, cell.line, cell.column, "expertise `\(part)` must be written area:level with level 1, 2 or 3, e.g. literacy:3")
                        ok = false
                        continue
                    }
                    guard let area = areaName(pieces[0], areas: areas, file: table.file, line: cell.line, column: cell.column, log: &log) else { ok = false; continue }
                    if list.contains(where: { $0.area == area }) {
                        log.add(table.file, cell.line, cell.column, "expertise in `\(area)` is given twice")
                        ok = false
                        continue
                    }
                    list.append(Expertise(area: area, level: level))
                }
                if ok { expertise = list }
            }
            let capacity = reader.number(record, "capacity_days", range: 0...1000, log: &log)
            if let capacity, capacity <= 0, let cell = reader.cell(record, "capacity_days") {
                log.add(table.file, cell.line, cell.column, "`capacity_days` must be more than 0; remove the adviser instead of giving them no days")
            }
            let maxSchools = reader.integer(record, "max_schools", range: 1...500, log: &log)
            let rate = reader.number(record, "day_rate", range: 0...10000, log: &log)
            let employerTrust = reader.text(record, "employer_trust", required: false, log: &log)
            let employerLA = reader.text(record, "employer_la", required: false, log: &log)
            let homeSchool = reader.text(record, "home_school", required: false, log: &log)
            if let homeSchool, let schoolIDs, !schoolIDs.contains(homeSchool), let cell = reader.cell(record, "home_school") {
                log.add(table.file, cell.line, cell.column, "home_school \(homeSchool) is not a school in schools.csv")
            }
            guard let id, let name, let lat, let lon, let phases, let expertise, let capacity, capacity > 0,
                  let maxSchools, let rate else { continue }
            advisers.append(Adviser(id: id, name: name, role: role, home: GeoPoint(latitude: lat, longitude: lon), phases: phases,
                                    expertise: expertise, capacityDays: capacity, maxSchools: maxSchools, dayRate: rate,
                                    employerTrust: employerTrust, employerLocalAuthority: employerLA, homeSchool: homeSchool))
        }
        return advisers
    }

    static func needs(_ table: CSVTable, areas: [String], schoolIDs: Set<String>?, log: inout DiagnosticLog) -> [Need] {
        let reader = CSVReader(table: table, required: ["school", "area", "days", "priority"], log: &log)
        guard reader.usable else { return [] }
        var needs: [Need] = []
        var seen: [String: Int] = [:]
        for record in table.records {
            let school = reader.text(record, "school", log: &log)
            if let school, let schoolIDs, !schoolIDs.contains(school), let cell = reader.cell(record, "school") {
                log.add(table.file, cell.line, cell.column, "school \(school) is not in schools.csv")
            }
            var area: String?
            if let text = reader.text(record, "area", log: &log), let cell = reader.cell(record, "area") {
                area = areaName(text, areas: areas, file: table.file, line: cell.line, column: cell.column, log: &log)
            }
            let days = reader.number(record, "days", range: 0...500, log: &log)
            if let days, let cell = reader.cell(record, "days") {
                if days <= 0 { log.add(table.file, cell.line, cell.column, "`days` must be more than 0; delete the row if the school has no need in this area") }
                else if (days * 2).rounded() != days * 2 { log.add(table.file, cell.line, cell.column, "`days` must be whole or half days, found \(formatNumber(days))") }
            }
            let priority = reader.integer(record, "priority", range: 1...3, log: &log)
            guard let school, let area, let days, days > 0, (days * 2).rounded() == days * 2, let priority else { continue }
            let key = school + "\u{1}" + area
            if let first = seen[key], let cell = reader.cell(record, "area") {
                log.add(table.file, cell.line, cell.column, "school \(school) already has a need in \(area) (line \(first)); put the days on one row")
                continue
            }
            seen[key] = record.line
            if let schoolIDs, !schoolIDs.contains(school) { continue }
            needs.append(Need(school: school, area: area, days: days, priority: priority))
        }
        return needs
    }

    static func roster(_ table: CSVTable, adviserIDs: Set<String>?, schoolIDs: Set<String>?, log: inout DiagnosticLog) -> [RosterEntry] {
        let reader = CSVReader(table: table, required: ["adviser", "school", "role"], log: &log)
        guard reader.usable else { return [] }
        var entries: [RosterEntry] = []
        var seen: [PairKey: Int] = [:]
        var leads: [String: Int] = [:]
        for record in table.records {
            guard let (adviser, school) = pair(reader, record, adviserIDs: adviserIDs, schoolIDs: schoolIDs, log: &log),
                  let roleText = reader.text(record, "role", log: &log), let roleCell = reader.cell(record, "role") else { continue }
            guard let role = AssignmentRole(rawValue: roleText.lowercased()) else {
                log.add(table.file, roleCell.line, roleCell.column, "`role` must be lead or specialist, found `\(roleText)`")
                continue
            }
            let key = PairKey(adviser: adviser, school: school)
            if let first = seen[key] {
                log.add(table.file, record.line, 1, "adviser \(adviser) and school \(school) are paired twice (first on line \(first))")
                continue
            }
            seen[key] = record.line
            if role == .lead {
                if let first = leads[school] {
                    log.add(table.file, roleCell.line, roleCell.column, "school \(school) already has a lead adviser on line \(first); a school has one lead")
                    continue
                }
                leads[school] = record.line
            }
            entries.append(RosterEntry(adviser: adviser, school: school, role: role))
        }
        return entries
    }

    static func travel(_ table: CSVTable, adviserIDs: Set<String>?, schoolIDs: Set<String>?, log: inout DiagnosticLog) -> [PairKey: Double] {
        let reader = CSVReader(table: table, required: ["adviser", "school", "minutes"], log: &log)
        guard reader.usable else { return [:] }
        var minutes: [PairKey: Double] = [:]
        var seen: [PairKey: Int] = [:]
        for record in table.records {
            let ids = pair(reader, record, adviserIDs: adviserIDs, schoolIDs: schoolIDs, log: &log)
            let value = reader.number(record, "minutes", range: 0...1440, log: &log)
            guard let (adviser, school) = ids, let value else { continue }
            let key = PairKey(adviser: adviser, school: school)
            if let first = seen[key] {
                log.add(table.file, record.line, 1, "travel from \(adviser) to \(school) is given twice (first on line \(first))")
                continue
            }
            seen[key] = record.line
            minutes[key] = value
        }
        return minutes
    }

    static let weekdayAbbreviations = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    static let weekdaySpellings: [String: Int] = [
        "mon": 1, "monday": 1, "tue": 2, "tues": 2, "tuesday": 2, "wed": 3, "wednesday": 3,
        "thu": 4, "thur": 4, "thurs": 4, "thursday": 4, "fri": 5, "friday": 5, "sat": 6, "saturday": 6, "sun": 7, "sunday": 7,
    ]

    static func weekdayList(_ days: [Int]) -> String { days.map { weekdayAbbreviations[$0 - 1] }.joined(separator: ";") }

    /// `mon;tue;wed` (any case, full names too) as sorted ISO weekdays; nil after reporting a bad name.
    static func weekdays(_ reader: CSVReader, _ record: CSVTable.Record, _ column: String, required: Bool, log: inout DiagnosticLog) -> [Int]? {
        guard let text = reader.text(record, column, required: required, log: &log), let cell = reader.cell(record, column) else { return nil }
        var days: [Int] = []
        var ok = true
        for part in text.split(separator: ";") {
            let word = part.trimmingCharacters(in: .whitespaces).lowercased()
            if word.isEmpty { continue }
            guard let day = weekdaySpellings[word] else {
                var message = "unknown weekday `\(part.trimmingCharacters(in: .whitespaces))` in `\(column)`"
                if let hint = closestMatch(to: word, in: Array(weekdaySpellings.keys), maxDistance: 2), let n = weekdaySpellings[hint] {
                    message += "; did you mean `\(weekdayAbbreviations[n - 1])`?"
                } else { message += "; write weekdays as mon;tue;wed;thu;fri;sat;sun" }
                log.add(reader.table.file, cell.line, cell.column, message)
                ok = false
                continue
            }
            if days.contains(day) {
                log.add(reader.table.file, cell.line, cell.column, "`\(column)` lists \(weekdayAbbreviations[day - 1]) twice")
                ok = false
                continue
            }
            days.append(day)
        }
        guard ok else { return nil }
        if days.isEmpty && required {
            log.add(reader.table.file, cell.line, cell.column, "`\(column)` is empty; a value is required")
            return nil
        }
        return days.sorted()
    }

    /// availability.csv: which weekdays each adviser works, which they prefer, and how many days a week at most.
    static func availability(_ table: CSVTable, adviserIDs: Set<String>?, defaultMaxDaysPerWeek: Int,
                             log: inout DiagnosticLog) -> [String: AdviserAvailability] {
        let reader = CSVReader(table: table, required: ["adviser", "weekdays"], optional: ["preferred_weekdays", "max_days_per_week"], log: &log)
        guard reader.usable else { return [:] }
        var rows: [String: AdviserAvailability] = [:]
        var seen: [String: Int] = [:]
        for record in table.records {
            var adviser = reader.text(record, "adviser", log: &log)
            if let id = adviser, let cell = reader.cell(record, "adviser") {
                if let adviserIDs, !adviserIDs.contains(id) {
                    log.add(table.file, cell.line, cell.column, unknownAdviser(id, adviserIDs))
                    adviser = nil
                } else if let first = seen[id] {
                    log.add(table.file, cell.line, cell.column, "adviser \(id) already has a row on line \(first); give one row per adviser")
                    continue
                } else {
                    seen[id] = record.line
                }
            }
            let days = weekdays(reader, record, "weekdays", required: true, log: &log)
            var preferred = weekdays(reader, record, "preferred_weekdays", required: false, log: &log)
            if let days, let p = preferred, let cell = reader.cell(record, "preferred_weekdays") {
                let outside = p.filter { !days.contains($0) }
                if !outside.isEmpty {
                    log.add(table.file, cell.line, cell.column,
                            "preferred weekday\(outside.count == 1 ? "" : "s") \(weekdayList(outside)) \(outside.count == 1 ? "is" : "are") not among the adviser's weekdays (\(weekdayList(days)))")
                    preferred = nil
                }
            }
            let maxDays = reader.integer(record, "max_days_per_week", range: 1...7, required: false, log: &log)
            if let days, let m = maxDays, m > days.count, let cell = reader.cell(record, "max_days_per_week") {
                log.add(table.file, cell.line, cell.column,
                        "`max_days_per_week` is \(m) but the adviser works only \(days.count) weekday\(days.count == 1 ? "" : "s") (\(weekdayList(days)))")
                continue
            }
            guard let adviser, let days else { continue }
            if reader.cell(record, "preferred_weekdays").map({ !$0.text.isEmpty }) ?? false, preferred == nil { continue }
            rows[adviser] = AdviserAvailability(adviser: adviser, weekdays: days, preferredWeekdays: preferred ?? [],
                                                maxDaysPerWeek: maxDays ?? min(defaultMaxDaysPerWeek, days.count))
        }
        return rows
    }

    /// leave.csv (`adviser,start,end,reason`) and closures.csv (`school,start,end,reason`): date ranges per id.
    static func dateRanges(_ table: CSVTable, owner: String, ids: Set<String>?, idsFile: String, what: String,
                           programme: (start: CivilDate, end: CivilDate)?, log: inout DiagnosticLog) -> [String: [DateRange]] {
        let reader = CSVReader(table: table, required: [owner, "start", "end"], optional: ["reason"], log: &log)
        guard reader.usable else { return [:] }
        var ranges: [String: [DateRange]] = [:]
        for record in table.records {
            var id = reader.text(record, owner, log: &log)
            if let text = id, let ids, !ids.contains(text), let cell = reader.cell(record, owner) {
                log.add(table.file, cell.line, cell.column, owner == "adviser" ? unknownAdviser(text, ids, file: idsFile) : "school \(text) is not in \(idsFile)")
                id = nil
            }
            let start = reader.date(record, "start", log: &log)
            let end = reader.date(record, "end", log: &log)
            let reason = reader.text(record, "reason", required: false, log: &log) ?? ""
            guard let start, let end, let endCell = reader.cell(record, "end"), let startCell = reader.cell(record, "start") else { continue }
            if end < start {
                log.add(table.file, endCell.line, endCell.column, "`end` \(end) is before `start` \(start)")
                continue
            }
            if let programme, end < programme.start || start > programme.end {
                let dates = start == end ? "on \(start)" : "from \(start) to \(end)"
                log.add(table.file, startCell.line, startCell.column,
                        "\(what) \(dates) is outside the programme (\(programme.start) to \(programme.end)); check the year")
                continue
            }
            guard let id else { continue }
            ranges[id, default: []].append(DateRange(start: start, end: end, reason: reason))
        }
        for key in ranges.keys { ranges[key]!.sort { ($0.start, $0.end) < ($1.start, $1.end) } }
        return ranges
    }

    static func unknownAdviser(_ id: String, _ ids: Set<String>, file: String = "advisers.csv") -> String {
        var message = "adviser \(id) is not in \(file)"
        if let hint = closestMatch(to: id, in: Array(ids), maxDistance: 1) { message += "; did you mean \(hint)?" }
        return message
    }

    private static func pair(_ reader: CSVReader, _ record: CSVTable.Record, adviserIDs: Set<String>?, schoolIDs: Set<String>?,
                             log: inout DiagnosticLog) -> (String, String)? {
        let adviser = reader.text(record, "adviser", log: &log)
        let school = reader.text(record, "school", log: &log)
        var ok = adviser != nil && school != nil
        if let adviser, let adviserIDs, !adviserIDs.contains(adviser), let cell = reader.cell(record, "adviser") {
            var message = "adviser \(adviser) is not in advisers.csv"
            if let hint = closestMatch(to: adviser, in: Array(adviserIDs), maxDistance: 1) { message += "; did you mean \(hint)?" }
            log.add(reader.table.file, cell.line, cell.column, message)
            ok = false
        }
        if let school, let schoolIDs, !schoolIDs.contains(school), let cell = reader.cell(record, "school") {
            log.add(reader.table.file, cell.line, cell.column, "school \(school) is not in schools.csv")
            ok = false
        }
        return ok ? (adviser!, school!) : nil
    }
}
