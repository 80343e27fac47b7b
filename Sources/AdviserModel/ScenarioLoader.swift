import Foundation

/// Reads a scenario folder (`scenario.toml` beside CSV tables), validating everything and reporting every
/// problem found as `file:line:column: message`.
public enum ScenarioLoader {
    public static let manifestName = "scenario.toml"

    /// Loads and validates; throws `ScenarioError.invalid` listing every problem.
    public static func load(directory: String) throws -> Scenario {
        var log = DiagnosticLog()
        let scenario = load(directory: directory, log: &log)
        if let scenario, log.isEmpty { return scenario }
        throw ScenarioError.invalid(log.sorted)
    }

    /// Loads what it can, adding a diagnostic for each problem; returns nil when essentials are unusable.
    public static func load(directory: String, log: inout DiagnosticLog) -> Scenario? {
        let manifestPath = join(directory, manifestName)
        var inputs: [(String, [UInt8])] = []
        guard let manifestText = readText(manifestPath, log: &log, inputs: &inputs) else { return nil }
        let problemsBefore = log.entries.count
        let document = TOMLDocument.parse(manifestText, file: manifestPath, log: &log)
        if document.root.entries.isEmpty && log.entries.count == problemsBefore {
            // One message for an empty file rather than one per missing setting.
            log.add(manifestPath, 1, 1, "the file is empty; a scenario needs at least [programme] with name, start and end (see README.md)")
            return nil
        }
        var settings = ManifestReader(file: manifestPath, root: document.root)
        let manifest = settings.read(log: &log)
        settings.reportUnknownKeys(log: &log)

        /// The path and text of the table `key`; the text is nil when it cannot be read, or is optional, absent
        /// and not named in [files].
        func table(_ key: String, _ name: String, optional: Bool = false) -> (path: String, text: String?) {
            let path = join(directory, name)
            return (path, text(key, name, path, optional: optional))
        }
        func text(_ key: String, _ name: String, _ path: String, optional: Bool) -> String? {
            if !FileManager.default.fileExists(atPath: path), let place = manifest.files.namedAt[key] {
                var message = "`files.\(key)` names \"\(name)\", which is not in the scenario folder"
                let present = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
                if let hint = closestMatch(to: name, in: present) { message += "; did you mean \"\(hint)\"?" }
                log.add(manifestPath, place.line, place.column, message)
                return nil
            }
            if optional && !FileManager.default.fileExists(atPath: path) { return nil }
            return readText(path, log: &log, inputs: &inputs)
        }
        let (schoolsPath, schoolsText) = table("schools", manifest.files.schools)
        let (advisersPath, advisersText) = table("advisers", manifest.files.advisers)
        let (needsPath, needsText) = table("needs", manifest.files.needs)
        let (rosterPath, rosterText) = table("roster", manifest.files.roster, optional: true)
        let (travelPath, travelText) = table("travel", manifest.files.travel, optional: true)
        let (availabilityPath, availabilityText) = table("availability", manifest.files.availability, optional: true)
        let (leavePath, leaveText) = table("leave", manifest.files.leave, optional: true)
        let (closuresPath, closuresText) = table("closures", manifest.files.closures, optional: true)

        let areas = manifest.rules.areas
        // References are checked against every id listed, valid row or not, so one bad cell in
        // schools.csv is reported once rather than again from every table that names the school.
        let schoolTable = schoolsText.map { CSVTable.parse($0, file: schoolsPath, log: &log) }
        let schools = schoolTable.map { TableReaders.schools($0, log: &log) } ?? []
        // nil (references unchecked) when schools.csv is missing or has no `id` column: that is its own problem.
        let schoolIDs = schoolTable.flatMap { TableReaders.listedIDs($0) }
        let adviserTable = advisersText.map { CSVTable.parse($0, file: advisersPath, log: &log) }
        let advisers = adviserTable.map {
            TableReaders.advisers($0, areas: areas, schoolIDs: schoolIDs, log: &log)
        } ?? []
        let adviserIDs = adviserTable.flatMap { TableReaders.listedIDs($0) }
        let needs = needsText.map {
            TableReaders.needs(CSVTable.parse($0, file: needsPath, log: &log), areas: areas, schoolIDs: schoolIDs, log: &log)
        } ?? []
        let roster = rosterText.map {
            TableReaders.roster(CSVTable.parse($0, file: rosterPath, log: &log), adviserIDs: adviserIDs, schoolIDs: schoolIDs, log: &log)
        } ?? []
        let measured = travelText.map {
            TableReaders.travel(CSVTable.parse($0, file: travelPath, log: &log), adviserIDs: adviserIDs, schoolIDs: schoolIDs, log: &log)
        } ?? [:]
        let span = manifest.programme.map { ($0.start, $0.end) }
        let availability = availabilityText.map {
            TableReaders.availability(CSVTable.parse($0, file: availabilityPath, log: &log), adviserIDs: adviserIDs,
                                      defaultMaxDaysPerWeek: manifest.visits.maxDaysPerWeek, log: &log)
        } ?? [:]
        let leave = leaveText.map {
            TableReaders.dateRanges(CSVTable.parse($0, file: leavePath, log: &log), owner: "adviser", ids: adviserIDs,
                                    idsFile: (advisersPath as NSString).lastPathComponent, what: "leave", programme: span, log: &log)
        } ?? [:]
        let closures = closuresText.map {
            TableReaders.dateRanges(CSVTable.parse($0, file: closuresPath, log: &log), owner: "school", ids: schoolIDs,
                                    idsFile: (schoolsPath as NSString).lastPathComponent, what: "closure", programme: span, log: &log)
        } ?? [:]

        if schoolsText != nil && schools.isEmpty && log.isEmpty {
            log.add(schoolsPath, 1, 1, "no schools are listed; add one row per school under the header")
        }
        if advisersText != nil && advisers.isEmpty && log.isEmpty {
            log.add(advisersPath, 1, 1, "no advisers are listed; add one row per adviser under the header")
        }

        guard let programme = manifest.programme else { return nil }
        var hasher = SHA256()
        for (name, bytes) in inputs.sorted(by: { $0.0 < $1.0 }) {
            hasher.update(Array(((name as NSString).lastPathComponent + "\n").utf8))
            hasher.update(bytes)
        }
        return Scenario(programme: programme, rules: manifest.rules, travel: manifest.travel, weights: manifest.weights,
                        schools: schools, advisers: advisers, needs: needs, roster: roster,
                        measuredTravelMinutes: measured, fingerprint: "sha256:" + hasher.finalize(),
                        inputFiles: inputs.map(\.0).sorted(), terms: manifest.terms, extraClosures: manifest.extraClosures,
                        visits: manifest.visits, availability: availability, leave: leave, closures: closures)
    }

    static func join(_ directory: String, _ name: String) -> String {
        if name.hasPrefix("/") { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func readText(_ path: String, log: inout DiagnosticLog, inputs: inout [(String, [UInt8])]) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            log.add(path, 1, 1, "cannot read: the file does not exist")
            return nil
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            log.add(path, 1, 1, "cannot read: not a readable file")
            return nil
        }
        let bytes = [UInt8](data)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            // Locate the first byte that is not UTF-8 so the user can find it (often a Windows-1252 £ or é).
            var decoder = UTF8()
            var iterator = bytes.makeIterator()
            var line = 1, column = 1
            scan: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar):
                    if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
                case .emptyInput, .error:
                    break scan
                }
            }
            log.add(path, line, column, "the file is not UTF-8 text; save it as \"CSV UTF-8\" (or UTF-8 text)")
            return nil
        }
        inputs.append((path, bytes))
        return text
    }
}

/// Everything `scenario.toml` sets.
struct Manifest {
    struct Files {
        var schools = "schools.csv"
        var advisers = "advisers.csv"
        var needs = "needs.csv"
        var roster = "roster.csv"
        var travel = "travel.csv"
        var availability = "availability.csv"
        var leave = "leave.csv"
        var closures = "closures.csv"
        /// Where each file named in [files] is named (line, column): an optional file named there must
        /// exist, and a missing one is blamed on that setting rather than on the file that is not there.
        var namedAt: [String: (line: Int, column: Int)] = [:]
    }
    var programme: Programme?
    var files = Files()
    var rules = Rules()
    var travel = TravelModel()
    var weights = Weights()
    var terms: [Term] = []
    var extraClosures: [DateRange] = []
    var visits = VisitSettings()
}

/// Reads `scenario.toml`, remembering which keys were used so that unknown ones (typos) are reported.
struct ManifestReader {
    let file: String
    let root: TOMLTable
    private var used: Set<String> = []

    init(file: String, root: TOMLTable) {
        self.file = file
        self.root = root
    }

    static let knownKeys: [String: [String]] = [
        "programme": ["name", "description", "start", "end", "budget"],
        "files": ["schools", "advisers", "needs", "roster", "travel", "availability", "leave", "closures"],
        "rules": ["independence", "require_lead", "lead_days", "max_travel_minutes", "working_day_hours", "travel_uses_capacity", "candidate_advisers", "areas"],
        "travel": ["road_factor", "average_speed_kmh"],
        "weights": ["expertise", "disadvantage", "continuity", "travel", "unmet_penalty"],
        "terms": ["name", "start", "end", "half_term_start", "half_term_end"],
        "calendar": ["bank_holidays", "extra_closures"],
        "visits": ["day_start", "day_end", "half_days", "morning_end", "afternoon_start", "min_gap_days", "max_days_per_week"],
    ]

    /// Sections as they are written, in the order the manual gives them.
    static let sectionHeaders = ["[programme]", "[files]", "[rules]", "[travel]", "[weights]", "[[terms]]", "[calendar]", "[visits]"]

    mutating func read(log: inout DiagnosticLog) -> Manifest {
        var manifest = Manifest()
        let name = string("programme", "name", required: true, log: &log)
        let description = string("programme", "description", log: &log) ?? ""
        let start = date("programme", "start", log: &log)
        let end = date("programme", "end", log: &log)
        let budget = number("programme", "budget", range: 1...1e9, log: &log)
        if let start, let end, end <= start, let node = node("programme", "end") {
            log.add(file, node.line, node.column, "the programme must end after it starts (\(start)); found end = \(end)")
        } else if let name, let start, let end {
            manifest.programme = Programme(name: name, description: description, start: start, end: end, budget: budget)
        }
        if let start, let end, end.dayNumber - start.dayNumber > 366 * 5, let node = node("programme", "end") {
            log.add(file, node.line, node.column, "the programme runs for more than five years (\(start) to \(end)); check the dates")
            manifest.programme = nil
        }

        for key in ManifestReader.knownKeys["files"]! {
            guard let value = string("files", key, log: &log) else { continue }
            if value.isEmpty, let node = node("files", key) {
                log.add(file, node.line, node.column, "`files.\(key)` is empty; give a file name such as \"\(key).csv\"")
                continue
            }
            switch key {
            case "schools": manifest.files.schools = value
            case "advisers": manifest.files.advisers = value
            case "needs": manifest.files.needs = value
            case "roster": manifest.files.roster = value
            case "travel": manifest.files.travel = value
            case "availability": manifest.files.availability = value
            case "leave": manifest.files.leave = value
            default: manifest.files.closures = value
            }
            if let node = node("files", key) { manifest.files.namedAt[key] = (node.line, node.column) }
        }

        if let text = string("rules", "independence", log: &log), let node = node("rules", "independence") {
            if let level = IndependenceLevel(rawValue: text) { manifest.rules.independence = level }
            else { log.add(file, node.line, node.column, "`rules.independence` must be one of none, trust, local-authority; found \"\(text)\"") }
        }
        if let flag = bool("rules", "require_lead", log: &log) { manifest.rules.requireLead = flag }
        if let v = number("rules", "lead_days", range: 0...100, log: &log) { manifest.rules.leadDays = v }
        if let v = number("rules", "max_travel_minutes", range: 1...600, log: &log) { manifest.rules.maxTravelMinutes = v }
        if let v = number("rules", "working_day_hours", range: 1...24, log: &log) { manifest.rules.workingDayHours = v }
        if let flag = bool("rules", "travel_uses_capacity", log: &log) { manifest.rules.travelUsesCapacity = flag }
        if let v = number("rules", "candidate_advisers", range: 1...10_000, log: &log) {
            if v == v.rounded() { manifest.rules.candidateAdvisers = Int(v) }
            else if let node = node("rules", "candidate_advisers") {
                log.add(file, node.line, node.column, "`rules.candidate_advisers` must be a whole number of advisers per school, e.g. 10; found \(formatNumber(v))")
            }
        }
        if let list = node("rules", "areas") {
            use("rules", "areas")
            if case .array(let items) = list.value, !items.isEmpty {
                var areas: [String] = []
                for item in items {
                    guard case .string(let area) = item.value, !area.isEmpty else {
                        log.add(file, item.line, item.column, "`rules.areas` must list area names in quotes, e.g. [\"literacy\", \"maths\"]")
                        continue
                    }
                    if areas.contains(area) { log.add(file, item.line, item.column, "area \"\(area)\" is listed twice in `rules.areas`") }
                    else if area.contains(";") || area.contains(":") || area.contains(",") {
                        log.add(file, item.line, item.column, "area \"\(area)\" may not contain `;`, `:` or `,`")
                    } else { areas.append(area) }
                }
                if !areas.isEmpty { manifest.rules.areas = areas }
            } else {
                log.add(file, list.line, list.column, "`rules.areas` must be a non-empty list of area names, e.g. [\"literacy\", \"maths\"]")
            }
        }
        if let v = number("travel", "road_factor", range: 1...3, log: &log) { manifest.travel.roadFactor = v }
        if let v = number("travel", "average_speed_kmh", range: 5...130, log: &log) { manifest.travel.averageSpeedKmh = v }
        if let v = number("weights", "expertise", range: 0...1e6, log: &log) { manifest.weights.expertise = v }
        if let v = number("weights", "disadvantage", range: 0...100, log: &log) { manifest.weights.disadvantage = v }
        if let v = number("weights", "continuity", range: 0...1e6, log: &log) { manifest.weights.continuity = v }
        if let v = number("weights", "travel", range: 0...1e4, log: &log) { manifest.weights.travel = v }
        if let v = number("weights", "unmet_penalty", range: 0...1e7, log: &log) { manifest.weights.unmetPenalty = v }

        let span = manifest.programme.map { ($0.start, $0.end) }
        manifest.terms = readTerms(programme: span, log: &log)
        manifest.extraClosures = readCalendar(programme: span, log: &log)
        manifest.visits = readVisits(log: &log)
        return manifest
    }

    func reportUnknownKeys(log: inout DiagnosticLog) {
        for entry in root.entries {
            guard let known = ManifestReader.knownKeys[entry.key] else {
                var message = "unknown section `\(entry.key)`"
                if let hint = closestMatch(to: entry.key, in: Array(ManifestReader.knownKeys.keys)) {
                    message += hint == "terms" ? "; did you mean `[[terms]]`?" : "; did you mean `[\(hint)]`?"
                } else { message += "; expected one of \(ManifestReader.sectionHeaders.joined(separator: ", "))" }
                log.add(file, entry.keyLine, entry.keyColumn, message)
                continue
            }
            if entry.key == "terms" {
                // An array of tables; its shape is reported by readTerms.
                guard case .array(let items) = entry.node.value else { continue }
                for item in items {
                    guard case .table(let table) = item.value else { continue }
                    for sub in table.entries where !known.contains(sub.key) {
                        var message = "unknown setting `terms.\(sub.key)`"
                        if let hint = closestMatch(to: sub.key, in: known) { message += "; did you mean `\(hint)`?" }
                        else { message += "; [[terms]] takes \(known.joined(separator: ", "))" }
                        log.add(file, sub.keyLine, sub.keyColumn, message)
                    }
                }
                continue
            }
            guard case .table(let table) = entry.node.value else {
                log.add(file, entry.keyLine, entry.keyColumn, "`\(entry.key)` must be a section ([\(entry.key)]), not a value")
                continue
            }
            for sub in table.entries where !known.contains(sub.key) {
                var message = "unknown setting `\(entry.key).\(sub.key)`"
                if let hint = closestMatch(to: sub.key, in: known) { message += "; did you mean `\(hint)`?" }
                else { message += "; [\(entry.key)] takes \(known.joined(separator: ", "))" }
                log.add(file, sub.keyLine, sub.keyColumn, message)
            }
        }
    }

    func node(_ section: String, _ key: String) -> TOMLNode? {
        guard case .table(let table)? = root[section]?.value else { return nil }
        return table[key]
    }

    mutating func use(_ section: String, _ key: String) { used.insert(section + "." + key) }

    private func missing(_ section: String, _ key: String, _ example: String, log: inout DiagnosticLog) {
        // A value that could not be read was reported where it stands; "missing" would mislead.
        if case .table(let table)? = root[section]?.value, table.unreadableKeys.contains(key) || table.hasUnreadableLine { return }
        log.add(file, 1, 1, "missing setting `\(key)` in [\(section)]; add e.g. `\(key) = \(example)`")
    }

    mutating func string(_ section: String, _ key: String, required: Bool = false, log: inout DiagnosticLog) -> String? {
        use(section, key)
        guard let node = node(section, key) else {
            if required { missing(section, key, "\"...\"", log: &log) }
            return nil
        }
        guard case .string(let text) = node.value else {
            log.add(file, node.line, node.column, "`\(section).\(key)` must be text in double quotes; found \(node.typeName)")
            return nil
        }
        if required && text.trimmingCharacters(in: .whitespaces).isEmpty {
            log.add(file, node.line, node.column, "`\(section).\(key)` is empty")
            return nil
        }
        return text
    }

    mutating func date(_ section: String, _ key: String, log: inout DiagnosticLog) -> CivilDate? {
        use(section, key)
        guard let node = node(section, key) else {
            missing(section, key, "2026-09-01", log: &log)
            return nil
        }
        return dateValue(node, "\(section).\(key)", log: &log)
    }

    mutating func bool(_ section: String, _ key: String, log: inout DiagnosticLog) -> Bool? {
        use(section, key)
        guard let node = node(section, key) else { return nil }
        guard case .bool(let b) = node.value else {
            log.add(file, node.line, node.column, "`\(section).\(key)` must be true or false; found \(node.typeName)")
            return nil
        }
        return b
    }

    mutating func number(_ section: String, _ key: String, range: ClosedRange<Double>, log: inout DiagnosticLog) -> Double? {
        use(section, key)
        guard let node = node(section, key) else { return nil }
        return node.number("\(section).\(key)", range: range, file: file, log: &log)
    }
}
