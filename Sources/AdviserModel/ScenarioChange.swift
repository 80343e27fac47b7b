import Foundation

/// A what-if "change file": a small TOML file of edits to a scenario (an adviser leaves, capacity is cut,
/// schools join, the budget moves ...), validated against the scenario it changes and applied to a copy of it.
/// See README.md, "What-if change files".
public struct ScenarioChange: Sendable {
    public var file: String
    /// `description = "..."` at the top level; empty when not given.
    public var description: String
    /// `disruption_weight`: points a kept pairing is worth in the re-solve (0 to 1,000,000); nil when not given.
    public var disruptionWeight: Double?
    /// `keep_all_feasible`; nil when not given.
    public var keepAllFeasible: Bool?
    /// One line per edit in a planner's words, in the order the file gives them.
    public var summary: [String] = []

    // The edits, as read (file order within each kind).
    struct CapacityEdit: Sendable, Equatable {
        /// An adviser id, or "*" for every adviser.
        var adviser: String
        var scale: Double?
        var days: Double?
    }
    struct NeedEdit: Sendable, Equatable {
        var school: String
        var area: String
        /// 0 removes the need.
        var days: Double
        /// nil keeps the existing priority.
        var priority: Int?
    }
    enum BudgetEdit: Sendable, Equatable {
        case amount(Double)
        case none
    }
    var removedAdvisers: [String] = []
    var addedAdvisers: [Adviser] = []
    var removedSchools: [String] = []
    var addedSchools: [School] = []
    var addedNeeds: [Need] = []
    var capacityEdits: [CapacityEdit] = []
    var needEdits: [NeedEdit] = []
    var budget: BudgetEdit?
    var weightEdits: [(key: String, value: Double)] = []
    var ruleEdits = RuleEdits()
    var forbidden: [PairKey] = []
    var required: [RosterEntry] = []
    var start: CivilDate?
    var end: CivilDate?
    /// SHA-256 of the change file's bytes, hex.
    var contentHash: String = ""

    struct RuleEdits: Sendable, Equatable {
        var maxTravelMinutes: Double?
        var leadDays: Double?
        var independence: IndependenceLevel?
        var requireLead: Bool?
    }

    init(file: String) {
        self.file = file
        self.description = ""
    }

    /// Reads and validates the change file against `base`; throws ScenarioError.invalid([Diagnostic]) listing every problem.
    public static func load(path: String, base: Scenario) throws -> ScenarioChange {
        var log = DiagnosticLog()
        var inputs: [(String, [UInt8])] = []
        guard let text = ScenarioLoader.readText(path, log: &log, inputs: &inputs) else { throw ScenarioError.invalid(log.sorted) }
        let change = parse(text, file: path, base: base, log: &log)
        if !log.isEmpty { throw ScenarioError.invalid(log.sorted) }
        return change
    }

    /// Reads `text` as a change file, adding a diagnostic for every problem; what is valid is kept.
    public static func parse(_ text: String, file: String, base: Scenario, log: inout DiagnosticLog) -> ScenarioChange {
        var change = ScenarioChange(file: file)
        var hasher = SHA256()
        hasher.update(Array(text.utf8))
        change.contentHash = hasher.finalize()
        let document = TOMLDocument.parse(text, file: file, log: &log)
        var reader = ChangeReader(file: file, root: document.root, base: base)
        reader.read(into: &change, log: &log)
        change.summary = reader.summary.sorted { ($0.line, $0.column) < ($1.line, $1.column) }.map(\.text)
        return change
    }

    /// Where a change is felt, when it is local: the advisers and schools it names.
    public struct Reach: Sendable, Equatable {
        public var advisers: Set<String>
        public var schools: Set<String>
        public init(advisers: Set<String> = [], schools: Set<String> = []) { self.advisers = advisers; self.schools = schools }
    }

    /// The advisers and schools the edits name (removed, added, capacity, needs, forbidden and required
    /// pairings), or nil when an edit reaches the whole programme: the budget, weights, rules, dates, or every
    /// adviser's capacity. A local change can be re-planned around what it names; a global one cannot.
    public var reach: Reach? {
        guard budget == nil, weightEdits.isEmpty, ruleEdits == RuleEdits(), start == nil, end == nil,
              !capacityEdits.contains(where: { $0.adviser == "*" }) else { return nil }
        var reach = Reach()
        reach.advisers.formUnion(removedAdvisers)
        reach.advisers.formUnion(addedAdvisers.map(\.id))
        reach.advisers.formUnion(capacityEdits.map(\.adviser))
        reach.advisers.formUnion(forbidden.map(\.adviser) + required.map(\.adviser))
        reach.schools.formUnion(removedSchools)
        reach.schools.formUnion(addedSchools.map(\.id) + addedNeeds.map(\.school) + needEdits.map(\.school))
        reach.schools.formUnion(forbidden.map(\.school) + required.map(\.school))
        return reach
    }

    /// The changed scenario (the base is untouched; the fingerprint becomes the base fingerprint + the change
    /// file's SHA-256, so plans from it are told apart).
    public func apply(to base: Scenario) -> Scenario {
        var s = base
        let goneAdvisers = Set(removedAdvisers), goneSchools = Set(removedSchools)
        s.advisers.removeAll { goneAdvisers.contains($0.id) }
        s.schools.removeAll { goneSchools.contains($0.id) }
        s.needs.removeAll { goneSchools.contains($0.school) }
        s.roster.removeAll { goneAdvisers.contains($0.adviser) || goneSchools.contains($0.school) }
        s.measuredTravelMinutes = s.measuredTravelMinutes.filter { !goneAdvisers.contains($0.key.adviser) && !goneSchools.contains($0.key.school) }
        for id in removedAdvisers { s.availability[id] = nil; s.leave[id] = nil }
        for id in removedSchools { s.closures[id] = nil }
        for i in s.advisers.indices where s.advisers[i].homeSchool.map(goneSchools.contains) == true { s.advisers[i].homeSchool = nil }
        s.forbiddenPairs.removeAll { goneAdvisers.contains($0.adviser) || goneSchools.contains($0.school) }
        s.requiredPairs.removeAll { goneAdvisers.contains($0.adviser) || goneSchools.contains($0.school) }

        s.schools += addedSchools
        s.needs += addedNeeds
        s.advisers += addedAdvisers

        for edit in capacityEdits {
            for i in s.advisers.indices where edit.adviser == "*" || s.advisers[i].id == edit.adviser {
                if let scale = edit.scale { s.advisers[i].capacityDays = (s.advisers[i].capacityDays * scale).rounded(toPlaces: 2) }
                if let days = edit.days { s.advisers[i].capacityDays = days }
            }
        }
        for edit in needEdits {
            if let i = s.needs.firstIndex(where: { $0.school == edit.school && $0.area == edit.area }) {
                if edit.days == 0 { s.needs.remove(at: i); continue }
                s.needs[i].days = edit.days
                if let priority = edit.priority { s.needs[i].priority = priority }
            } else if edit.days > 0 {
                s.needs.append(Need(school: edit.school, area: edit.area, days: edit.days, priority: edit.priority ?? 2))
            }
        }
        switch budget {
        case .amount(let amount)?: s.programme.budget = amount
        case .none?: s.programme.budget = nil
        case nil: break
        }
        for (key, value) in weightEdits {
            switch key {
            case "expertise": s.weights.expertise = value
            case "disadvantage": s.weights.disadvantage = value
            case "continuity": s.weights.continuity = value
            case "travel": s.weights.travel = value
            default: s.weights.unmetPenalty = value
            }
        }
        if let v = ruleEdits.maxTravelMinutes { s.rules.maxTravelMinutes = v }
        if let v = ruleEdits.leadDays { s.rules.leadDays = v }
        if let v = ruleEdits.independence { s.rules.independence = v }
        if let v = ruleEdits.requireLead { s.rules.requireLead = v }
        if let start { s.programme.start = start }
        if let end { s.programme.end = end }

        s.forbiddenPairs = Array(Set(s.forbiddenPairs + forbidden)).sorted()
        for entry in required where !s.requiredPairs.contains(entry) { s.requiredPairs.append(entry) }

        s.fingerprint = base.fingerprint + "+sha256:" + contentHash
        if !s.inputFiles.contains(file) { s.inputFiles = (s.inputFiles + [file]).sorted() }
        return s
    }
}

// MARK: - Reading

/// Reads the sections of a change file, checking every value and every id against the base scenario.
private struct ChangeReader {
    let file: String
    let root: TOMLTable
    let base: Scenario
    var summary: [(line: Int, column: Int, text: String)] = []

    /// Top-level keys: plain settings, sections ([x]) and lists of sections ([[x]]), in the manual's order.
    static let settings = ["description", "disruption_weight", "keep_all_feasible"]
    static let arraySections = ["remove_adviser", "add_adviser", "remove_school", "add_school", "capacity", "need", "forbid", "require"]
    static let tableSections = ["budget", "weights", "rules", "programme"]
    static let known: [String: [String]] = [
        "remove_adviser": ["id"],
        "add_adviser": ["id", "name", "role", "home_latitude", "home_longitude", "phases", "expertise", "capacity_days", "max_schools",
                        "day_rate", "employer_trust", "employer_la", "home_school"],
        "remove_school": ["id"],
        "add_school": ["id", "name", "phase", "local_authority", "trust", "pupils", "disadvantaged_pct", "inspection_grade", "latitude",
                       "longitude", "needs"],
        "add_school.needs": ["area", "days", "priority"],
        "capacity": ["adviser", "scale", "days"],
        "need": ["school", "area", "days", "priority"],
        "forbid": ["adviser", "school"],
        "require": ["adviser", "school", "role"],
        "budget": ["amount", "none"],
        "weights": ["expertise", "disadvantage", "continuity", "travel", "unmet_penalty"],
        "rules": ["max_travel_minutes", "lead_days", "independence", "require_lead"],
        "programme": ["start", "end"],
    ]

    static func written(_ name: String) -> String {
        if arraySections.contains(name) { return "[[\(name)]]" }
        if tableSections.contains(name) { return "[\(name)]" }
        return name
    }

    init(file: String, root: TOMLTable, base: Scenario) {
        self.file = file
        self.root = root
        self.base = base
    }

    // Ids as the edits leave them.
    var removedAdviserLines: [String: Int] = [:]
    var removedSchoolLines: [String: Int] = [:]
    var addedAdviserLines: [String: Int] = [:]
    var addedSchoolLines: [String: Int] = [:]

    mutating func note(_ node: TOMLNode, _ text: String) { summary.append((node.line, node.column, text)) }

    /// The elements of a `[[name]]` list, each with its table; reports a wrong shape.
    func elements(_ name: String, log: inout DiagnosticLog) -> [(TOMLNode, TOMLTable)] {
        guard let entry = root.entry(name) else { return [] }
        guard case .array(let items) = entry.node.value else {
            log.add(file, entry.keyLine, entry.keyColumn, "`\(name)` must be written [[\(name)]], one section per edit")
            return []
        }
        var out: [(TOMLNode, TOMLTable)] = []
        for item in items {
            guard case .table(let table) = item.value else {
                log.add(file, item.line, item.column, "`\(name)` must be written [[\(name)]], one section per edit")
                continue
            }
            out.append((item, table))
        }
        return out
    }

    func section(_ name: String, log: inout DiagnosticLog) -> (TOMLNode, TOMLTable)? {
        guard let entry = root.entry(name) else { return nil }
        guard case .table(let table) = entry.node.value else {
            log.add(file, entry.keyLine, entry.keyColumn, "`\(name)` must be a section ([\(name)]), not a value")
            return nil
        }
        return (entry.node, table)
    }

    func fields(_ section: String, _ node: TOMLNode, _ table: TOMLTable) -> Fields {
        Fields(file: file, section: section, header: section.contains(".") ? "`\(section)`" : ChangeReader.written(section), anchor: node, table: table)
    }

    mutating func read(into change: inout ScenarioChange, log: inout DiagnosticLog) {
        reportUnknown(log: &log)
        readSettings(into: &change, log: &log)
        readRemovals(into: &change, log: &log)
        readAddedSchools(into: &change, log: &log)
        readAddedAdvisers(into: &change, log: &log)
        readCapacity(into: &change, log: &log)
        readNeeds(into: &change, log: &log)
        readPairs(into: &change, log: &log)
        readSections(into: &change, log: &log)
    }

    func reportUnknown(log: inout DiagnosticLog) {
        let all = ChangeReader.settings + ChangeReader.arraySections + ChangeReader.tableSections
        for entry in root.entries {
            if all.contains(entry.key) {
                guard let known = ChangeReader.known[entry.key] else { continue }
                let tables: [(TOMLTable, String)]
                switch entry.node.value {
                case .table(let t): tables = [(t, entry.key)]
                case .array(let items): tables = items.compactMap { if case .table(let t) = $0.value { return (t, entry.key) } else { return nil } }
                default: tables = []
                }
                for (table, name) in tables {
                    for sub in table.entries where !known.contains(sub.key) {
                        log.add(file, sub.keyLine, sub.keyColumn, unknownSetting(name, sub.key, known))
                    }
                    if name == "add_school", case .array(let needs)? = table["needs"]?.value {
                        let knownNeed = ChangeReader.known["add_school.needs"]!
                        for need in needs {
                            guard case .table(let t) = need.value else { continue }
                            for sub in t.entries where !knownNeed.contains(sub.key) {
                                log.add(file, sub.keyLine, sub.keyColumn, unknownSetting("add_school.needs", sub.key, knownNeed))
                            }
                        }
                    }
                }
                continue
            }
            let isSection: Bool
            switch entry.node.value {
            case .table, .array: isSection = true
            default: isSection = false
            }
            var message = isSection ? "unknown section `\(entry.key)`" : "unknown setting `\(entry.key)`"
            if let hint = closestMatch(to: entry.key, in: all) { message += "; did you mean `\(ChangeReader.written(hint))`?" }
            else { message += "; a change file takes " + all.map(ChangeReader.written).joined(separator: ", ") }
            log.add(file, entry.keyLine, entry.keyColumn, message)
        }
    }

    func unknownSetting(_ section: String, _ key: String, _ known: [String]) -> String {
        var message = "unknown setting `\(section).\(key)`"
        if let hint = closestMatch(to: key, in: known) { message += "; did you mean `\(hint)`?" }
        else { message += "; \(section.contains(".") ? "`\(section)`" : ChangeReader.written(section)) takes \(known.joined(separator: ", "))" }
        return message
    }

    mutating func readSettings(into change: inout ScenarioChange, log: inout DiagnosticLog) {
        let top = Fields(file: file, section: "", header: "the change file", anchor: TOMLNode(value: .table(root), line: 1, column: 1), table: root)
        change.description = top.string("description", log: &log) ?? ""
        change.disruptionWeight = top.number("disruption_weight", range: 0...1e6, log: &log)
        change.keepAllFeasible = top.bool("keep_all_feasible", log: &log)
    }

    // MARK: Ids

    var adviserCandidates: [String] {
        base.advisers.map(\.id).filter { removedAdviserLines[$0] == nil } + addedAdviserLines.keys.sorted()
    }
    var schoolCandidates: [String] {
        base.schools.map(\.id).filter { removedSchoolLines[$0] == nil } + addedSchoolLines.keys.sorted()
    }

    func unknown(_ kind: String, _ id: String, candidates: [String], addedBy: String) -> String {
        var message = "unknown \(kind) `\(id)`"
        if let hint = closestMatch(to: id, in: candidates, maxDistance: 2) { message += "; did you mean `\(hint)`?" }
        else { message += "; it is not in the scenario nor added by \(addedBy)" }
        return message
    }

    /// A reference to an adviser that must exist after the removals and additions; reports it otherwise.
    func adviserReference(_ id: String, _ node: TOMLNode, edit: String, log: inout DiagnosticLog) -> Bool {
        if let line = removedAdviserLines[id] {
            log.add(file, node.line, node.column, "adviser \(id) is removed on line \(line); drop this \(edit) edit or keep the adviser")
            return false
        }
        if base.adviser(id) != nil || addedAdviserLines[id] != nil { return true }
        log.add(file, node.line, node.column, unknown("adviser", id, candidates: adviserCandidates, addedBy: "[[add_adviser]]"))
        return false
    }

    func schoolReference(_ id: String, _ node: TOMLNode, edit: String, log: inout DiagnosticLog) -> Bool {
        if let line = removedSchoolLines[id] {
            log.add(file, node.line, node.column, "school \(id) is removed on line \(line); drop this \(edit) edit or keep the school")
            return false
        }
        if base.school(id) != nil || addedSchoolLines[id] != nil { return true }
        log.add(file, node.line, node.column, unknown("school", id, candidates: schoolCandidates, addedBy: "[[add_school]]"))
        return false
    }

    func adviserName(_ id: String, _ change: ScenarioChange) -> String {
        (base.adviser(id) ?? change.addedAdvisers.first { $0.id == id })?.name ?? id
    }

    func schoolName(_ id: String, _ change: ScenarioChange) -> String {
        (base.school(id) ?? change.addedSchools.first { $0.id == id })?.name ?? id
    }

    // MARK: Removals and additions

    mutating func readRemovals(into change: inout ScenarioChange, log: inout DiagnosticLog) {
        for (node, table) in elements("remove_adviser", log: &log) {
            let f = fields("remove_adviser", node, table)
            guard let id = f.string("id", required: true, example: "\"A07\"", log: &log), let idNode = f.node("id") else { continue }
            if let line = removedAdviserLines[id] {
                log.add(file, idNode.line, idNode.column, "adviser \(id) is already removed on line \(line)")
                continue
            }
            guard let adviser = base.adviser(id) else {
                log.add(file, idNode.line, idNode.column, unknown("adviser", id, candidates: base.advisers.map(\.id), addedBy: "[[add_adviser]]"))
                continue
            }
            removedAdviserLines[id] = node.line
            change.removedAdvisers.append(id)
            note(node, "remove adviser \(id) (\(adviser.name))")
        }
        for (node, table) in elements("remove_school", log: &log) {
            let f = fields("remove_school", node, table)
            guard let id = f.string("id", required: true, example: "\"104431\"", log: &log), let idNode = f.node("id") else { continue }
            if let line = removedSchoolLines[id] {
                log.add(file, idNode.line, idNode.column, "school \(id) is already removed on line \(line)")
                continue
            }
            guard let school = base.school(id) else {
                log.add(file, idNode.line, idNode.column, unknown("school", id, candidates: base.schools.map(\.id), addedBy: "[[add_school]]"))
                continue
            }
            removedSchoolLines[id] = node.line
            change.removedSchools.append(id)
            let needs = base.needs.filter { $0.school == id }
            let days = needs.reduce(0) { $0 + $1.days }
            note(node, "remove school \(id) (\(school.name))" + (needs.isEmpty ? "" : " and its \(plural(needs.count, "need")) (\(plural(days, "day")))"))
        }
    }

    mutating func readAddedSchools(into change: inout ScenarioChange, log: inout DiagnosticLog) {
        for (node, table) in elements("add_school", log: &log) {
            let f = fields("add_school", node, table)
            let id = f.string("id", required: true, example: "\"149999\"", log: &log)
            var idOK = id != nil
            if let id, let idNode = f.node("id") {
                if let line = addedSchoolLines[id] {
                    log.add(file, idNode.line, idNode.column, "school \(id) is added twice (first on line \(line))")
                    idOK = false
                } else if base.school(id) != nil {
                    log.add(file, idNode.line, idNode.column, "school \(id) is already in the scenario; give the new school another id")
                    idOK = false
                }
            }
            let name = f.string("name", required: true, example: "\"New Academy\"", log: &log)
            var phase: Phase?
            if let text = f.string("phase", required: true, example: "\"primary\"", log: &log), let n = f.node("phase") {
                phase = TableReaders.parsePhase(text, file: file, line: n.line, column: n.column, log: &log)
            }
            let la = f.string("local_authority", required: true, example: "\"Knowsley\"", log: &log)
            let trust = f.string("trust", log: &log)
            let pupils = f.integer("pupils", range: 0...5000, log: &log)
            let pct = f.number("disadvantaged_pct", range: 0...100, log: &log)
            let grade = f.integer("inspection_grade", range: 1...4, log: &log)
            let lat = f.number("latitude", required: true, range: TableReaders.ukLatitude, example: "53.42", log: &log)
            let lon = f.number("longitude", required: true, range: TableReaders.ukLongitude, example: "-2.85", log: &log)
            var needs: [Need] = []
            var needsOK = true
            if let list = f.node("needs") {
                if case .array(let items) = list.value {
                    for item in items {
                        guard case .table(let t) = item.value else {
                            log.add(file, item.line, item.column, "each of `add_school.needs` must be written { area = \"literacy\", days = 6, priority = 3 }")
                            needsOK = false
                            continue
                        }
                        let nf = fields("add_school.needs", item, t)
                        var area: String?
                        if let text = nf.string("area", required: true, example: "\"literacy\"", log: &log), let n = nf.node("area") {
                            area = TableReaders.areaName(text, areas: base.rules.areas, file: file, line: n.line, column: n.column, log: &log)
                            if let a = area, needs.contains(where: { $0.area == a }) {
                                log.add(file, n.line, n.column, "the new school already has a need in \(a); put the days in one entry")
                                area = nil
                            }
                        }
                        let days = nf.number("days", required: true, range: 0...500, example: "6", log: &log)
                        let daysOK = days.map { halfDays($0, nf.node("days")!, zeroAllowed: false, section: "add_school.needs", log: &log) } ?? false
                        let priority = nf.integer("priority", required: true, range: 1...3, example: "2", log: &log)
                        guard let area, let days, daysOK, let priority else { needsOK = false; continue }
                        needs.append(Need(school: id ?? "", area: area, days: days, priority: priority))
                    }
                } else {
                    log.add(file, list.line, list.column, "`add_school.needs` must be a list, e.g. [ { area = \"literacy\", days = 6, priority = 3 } ]")
                    needsOK = false
                }
            }
            guard let id, idOK, let name, let phase, let la, let lat, let lon, needsOK else { continue }
            addedSchoolLines[id] = node.line
            change.addedSchools.append(School(id: id, name: name, phase: phase, localAuthority: la, trust: nonEmpty(trust), pupils: pupils ?? 0,
                                              disadvantagedPercent: pct ?? 0, inspectionGrade: grade,
                                              location: GeoPoint(latitude: lat, longitude: lon)))
            change.addedNeeds += needs
            let days = needs.reduce(0) { $0 + $1.days }
            note(node, "add school \(id) (\(name), \(phase.rawValue))" + (needs.isEmpty ? " with no needs" : " with \(plural(needs.count, "need")) (\(plural(days, "day")))"))
        }
    }

    mutating func readAddedAdvisers(into change: inout ScenarioChange, log: inout DiagnosticLog) {
        for (node, table) in elements("add_adviser", log: &log) {
            let f = fields("add_adviser", node, table)
            let id = f.string("id", required: true, example: "\"A13\"", log: &log)
            var idOK = id != nil
            if let id, let idNode = f.node("id") {
                if let line = addedAdviserLines[id] {
                    log.add(file, idNode.line, idNode.column, "adviser \(id) is added twice (first on line \(line))")
                    idOK = false
                } else if base.adviser(id) != nil {
                    log.add(file, idNode.line, idNode.column, "adviser \(id) is already in the scenario; give the new adviser another id")
                    idOK = false
                } else if id == "*" {
                    log.add(file, idNode.line, idNode.column, "`*` cannot be an adviser id; it means every adviser in [[capacity]]")
                    idOK = false
                }
            }
            let name = f.string("name", required: true, example: "\"Priya Shah\"", log: &log)
            let role = f.string("role", log: &log) ?? ""
            let lat = f.number("home_latitude", required: true, range: TableReaders.ukLatitude, example: "53.45", log: &log)
            let lon = f.number("home_longitude", required: true, range: TableReaders.ukLongitude, example: "-2.75", log: &log)
            var phases: [Phase]?
            if let list = f.node("phases") {
                if case .array(let items) = list.value, !items.isEmpty {
                    var out: [Phase] = []
                    var ok = true
                    for item in items {
                        guard case .string(let text) = item.value else {
                            log.add(file, item.line, item.column, "`add_adviser.phases` must list phases in quotes, e.g. [\"primary\", \"secondary\"]")
                            ok = false
                            continue
                        }
                        guard let phase = TableReaders.parsePhase(text, file: file, line: item.line, column: item.column, log: &log) else { ok = false; continue }
                        if !out.contains(phase) { out.append(phase) }
                    }
                    if ok { phases = out.sorted() }
                } else {
                    log.add(file, list.line, list.column, "`add_adviser.phases` must be a non-empty list, e.g. [\"primary\", \"secondary\"]")
                }
            } else {
                f.missing("phases", "[\"primary\"]", log: &log)
            }
            var expertise: [Expertise]?
            if let list = f.node("expertise") {
                if case .table(let t) = list.value, !t.entries.isEmpty {
                    var out: [Expertise] = []
                    var ok = true
                    for entry in t.entries {
                        guard let area = TableReaders.areaName(entry.key, areas: base.rules.areas, file: file, line: entry.keyLine, column: entry.keyColumn, log: &log) else {
                            ok = false
                            continue
                        }
                        guard case .integer(let level) = entry.node.value, (1...3).contains(level) else {
                            log.add(file, entry.node.line, entry.node.column, "the level of `\(area)` must be 1, 2 or 3 (working knowledge, strong, expert)")
                            ok = false
                            continue
                        }
                        out.append(Expertise(area: area, level: level))
                    }
                    if ok { expertise = out }
                } else {
                    log.add(file, list.line, list.column, "`add_adviser.expertise` must be an inline table of area = level, e.g. { literacy = 3, leadership = 2 }")
                }
            } else {
                f.missing("expertise", "{ literacy = 3 }", log: &log)
            }
            var capacity = f.number("capacity_days", required: true, range: 0...1000, example: "30", log: &log)
            if let c = capacity, c <= 0, let n = f.node("capacity_days") {
                log.add(file, n.line, n.column, "`add_adviser.capacity_days` must be more than 0")
                capacity = nil
            }
            let maxSchools = f.integer("max_schools", required: true, range: 1...500, example: "4", log: &log)
            let rate = f.number("day_rate", required: true, range: 0...10000, example: "600", log: &log)
            let employerTrust = f.string("employer_trust", log: &log)
            let employerLA = f.string("employer_la", log: &log)
            var homeSchool = nonEmpty(f.string("home_school", log: &log))
            if let h = homeSchool, let n = f.node("home_school"), !schoolReference(h, n, edit: "home_school", log: &log) { homeSchool = nil; idOK = false }
            guard let id, idOK, let name, let lat, let lon, let phases, let expertise, let capacity, let maxSchools, let rate else { continue }
            addedAdviserLines[id] = node.line
            change.addedAdvisers.append(Adviser(id: id, name: name, role: role, home: GeoPoint(latitude: lat, longitude: lon), phases: phases,
                                                expertise: expertise, capacityDays: capacity, maxSchools: maxSchools, dayRate: rate,
                                                employerTrust: nonEmpty(employerTrust), employerLocalAuthority: nonEmpty(employerLA),
                                                homeSchool: homeSchool))
            note(node, "add adviser \(id) (\(name)\(role.isEmpty ? "" : ", " + role)): \(plural(capacity, "day")), \(phases.map(\.rawValue).joined(separator: " and "))")
        }
    }

    // MARK: Capacity and needs

    mutating func readCapacity(into change: inout ScenarioChange, log: inout DiagnosticLog) {
        // Capacities as the earlier edits leave them, to describe each edit with before and after figures.
        var capacities: [(id: String, days: Double)] = base.advisers.filter { removedAdviserLines[$0.id] == nil }.map { ($0.id, $0.capacityDays) }
            + change.addedAdvisers.map { ($0.id, $0.capacityDays) }
        var seen: [String: Int] = [:]
        for (node, table) in elements("capacity", log: &log) {
            let f = fields("capacity", node, table)
            guard let id = f.string("adviser", required: true, example: "\"A03\" (or \"*\" for every adviser)", log: &log),
                  let idNode = f.node("adviser") else { continue }
            var ok = id == "*" || adviserReference(id, idNode, edit: "[[capacity]]", log: &log)
            if ok, let line = seen[id] {
                log.add(file, idNode.line, idNode.column, id == "*" ? "every adviser's capacity is already changed on line \(line); combine the two edits"
                        : "adviser \(id)'s capacity is already changed on line \(line); combine the two edits")
                ok = false
            }
            var scale = f.number("scale", range: -1e9...1e9, log: &log)
            if let s = scale, !(s > 0 && s <= 10), let n = f.node("scale") {
                log.add(file, n.line, n.column, "`capacity.scale` must be more than 0 and at most 10; found \(formatNumber(s))")
                scale = nil; ok = false
            }
            var days = f.number("days", range: -1e9...1e9, log: &log)
            if let d = days, let n = f.node("days") {
                if d <= 0 {
                    log.add(file, n.line, n.column, "`capacity.days` must be more than 0; found \(formatNumber(d)) (remove the adviser with [[remove_adviser]] instead)")
                    days = nil; ok = false
                } else if d > 1000 {
                    log.add(file, n.line, n.column, "`capacity.days` must be at most 1000; found \(formatNumber(d))")
                    days = nil; ok = false
                }
            }
            let hasScale = f.node("scale") != nil, hasDays = f.node("days") != nil
            if hasScale && hasDays {
                log.add(file, node.line, node.column, "a [[capacity]] edit takes either `scale` or `days`, not both")
                ok = false
            } else if !hasScale && !hasDays {
                log.add(file, node.line, node.column, "a [[capacity]] edit needs `scale` (e.g. scale = 0.8) or `days` (e.g. days = 20)")
                ok = false
            }
            guard ok, scale != nil || days != nil else { continue }
            seen[id] = node.line
            change.capacityEdits.append(.init(adviser: id, scale: scale, days: days))
            let before = capacities.filter { id == "*" || $0.id == id }.reduce(0) { $0 + $1.days }
            for i in capacities.indices where id == "*" || capacities[i].id == id {
                if let scale { capacities[i].days = (capacities[i].days * scale).rounded(toPlaces: 2) }
                if let days { capacities[i].days = days }
            }
            let after = capacities.filter { id == "*" || $0.id == id }.reduce(0) { $0 + $1.days }
            let who = id == "*" ? "every adviser's" : "\(id)'s"
            let inAll = id == "*" ? " in all" : ""
            if let scale {
                note(node, "scale \(who) capacity by \(formatNumber(scale)) (\(formatNumber(before.rounded(toPlaces: 2))) -> \(formatNumber(after.rounded(toPlaces: 2))) days\(inAll))")
            } else if let days {
                note(node, "set \(who) capacity to \(plural(days, "day"))\(id == "*" ? "" : " (was \(formatNumber(before)))")"
                     + (id == "*" ? " (\(formatNumber(before.rounded(toPlaces: 2))) -> \(formatNumber(after.rounded(toPlaces: 2))) days in all)" : ""))
            }
        }
    }

    mutating func readNeeds(into change: inout ScenarioChange, log: inout DiagnosticLog) {
        var current: [Need] = base.needs.filter { removedSchoolLines[$0.school] == nil } + change.addedNeeds
        var seen: [String: Int] = [:]
        for (node, table) in elements("need", log: &log) {
            let f = fields("need", node, table)
            var ok = true
            let school = f.string("school", required: true, example: "\"104431\"", log: &log)
            if let school, let n = f.node("school"), !schoolReference(school, n, edit: "[[need]]", log: &log) { ok = false }
            var area: String?
            if let text = f.string("area", required: true, example: "\"literacy\"", log: &log), let n = f.node("area") {
                area = TableReaders.areaName(text, areas: base.rules.areas, file: file, line: n.line, column: n.column, log: &log)
            }
            let days = f.number("days", required: true, range: 0...500, example: "8 (0 removes the need)", log: &log)
            if let d = days, !halfDays(d, f.node("days")!, zeroAllowed: true, section: "need", log: &log) { ok = false }
            let priority = f.integer("priority", range: 1...3, log: &log)
            if f.node("priority") != nil && priority == nil { ok = false }
            guard ok, let school, let area, let days else { continue }
            let key = school + "\u{1}" + area
            if let line = seen[key] {
                log.add(file, node.line, node.column, "the \(area) need of school \(school) is already set on line \(line); combine the two edits")
                continue
            }
            let index = current.firstIndex { $0.school == school && $0.area == area }
            let name = schoolName(school, change)
            if index == nil && days == 0 {
                log.add(file, f.node("days")!.line, f.node("days")!.column, "school \(school) (\(name)) has no \(area) need to remove")
                continue
            }
            if index == nil && priority == nil {
                log.add(file, node.line, node.column, "school \(school) has no \(area) need yet; give its `priority` (1 to 3) to add one")
                continue
            }
            seen[key] = node.line
            change.needEdits.append(.init(school: school, area: area, days: days, priority: priority))
            if let i = index {
                let old = current[i]
                if days == 0 {
                    note(node, "remove the \(area) need of \(school) (\(name)): \(plural(old.days, "day")), priority \(old.priority)")
                    current.remove(at: i)
                } else {
                    let p = priority ?? old.priority
                    note(node, "set the \(area) need of \(school) (\(name)) to \(plural(days, "day")), priority \(p) (was \(plural(old.days, "day")), priority \(old.priority))")
                    current[i].days = days
                    current[i].priority = p
                }
            } else {
                note(node, "add a \(area) need of \(plural(days, "day")), priority \(priority!), at \(school) (\(name))")
                current.append(Need(school: school, area: area, days: days, priority: priority!))
            }
        }
    }

    /// Days must be whole or half days, and more than 0 unless `zeroAllowed`.
    func halfDays(_ days: Double, _ node: TOMLNode, zeroAllowed: Bool, section: String, log: inout DiagnosticLog) -> Bool {
        if days == 0 && !zeroAllowed {
            log.add(file, node.line, node.column, "`\(section).days` must be more than 0; leave the need out if the school has none")
            return false
        }
        if (days * 2).rounded() != days * 2 {
            log.add(file, node.line, node.column, "`\(section).days` must be whole or half days, found \(formatNumber(days))")
            return false
        }
        return true
    }

    // MARK: Forbidden and required pairings

    mutating func readPairs(into change: inout ScenarioChange, log: inout DiagnosticLog) {
        var forbidLines: [PairKey: Int] = [:]
        for (node, table) in elements("forbid", log: &log) {
            let f = fields("forbid", node, table)
            guard let pair = pairing(f, edit: "[[forbid]]", log: &log) else { continue }
            if let line = forbidLines[pair] {
                log.add(file, node.line, node.column, "adviser \(pair.adviser) and school \(pair.school) are already forbidden on line \(line)")
                continue
            }
            forbidLines[pair] = node.line
            change.forbidden.append(pair)
            note(node, "never pair \(pair.adviser) (\(adviserName(pair.adviser, change))) with \(pair.school) (\(schoolName(pair.school, change)))")
        }
        var requireLines: [PairKey: Int] = [:]
        var leadLines: [String: Int] = [:]
        for (node, table) in elements("require", log: &log) {
            let f = fields("require", node, table)
            var role: AssignmentRole?
            var roleOK = true
            if let text = f.string("role", log: &log), let n = f.node("role") {
                role = AssignmentRole(rawValue: text.lowercased())
                if role == nil {
                    log.add(file, n.line, n.column, "`require.role` must be lead or specialist, found \"\(text)\"; leave it out to keep the pairing in any role")
                    roleOK = false
                }
            }
            guard let pair = pairing(f, edit: "[[require]]", log: &log), roleOK else { continue }
            if let line = requireLines[pair] {
                log.add(file, node.line, node.column, "adviser \(pair.adviser) and school \(pair.school) are already required on line \(line)")
                continue
            }
            if let line = forbidLines[pair] {
                let (l, c) = line > node.line ? (line, 1) : (node.line, node.column)
                log.add(file, l, c, "adviser \(pair.adviser) and school \(pair.school) are both forbidden (line \(line)) and required (line \(node.line)); keep one")
                continue
            }
            if role == .lead {
                if let line = leadLines[pair.school] {
                    log.add(file, f.node("role")!.line, f.node("role")!.column, "school \(pair.school) already has a required lead on line \(line); a school has one lead")
                    continue
                }
                leadLines[pair.school] = node.line
            }
            requireLines[pair] = node.line
            change.required.append(RosterEntry(adviser: pair.adviser, school: pair.school, role: role ?? .specialist))
            note(node, "keep \(pair.adviser) (\(adviserName(pair.adviser, change))) at \(pair.school) (\(schoolName(pair.school, change)))" + (role == .lead ? " as lead" : ""))
        }
    }

    func pairing(_ f: Fields, edit: String, log: inout DiagnosticLog) -> PairKey? {
        let adviser = f.string("adviser", required: true, example: "\"A03\"", log: &log)
        let school = f.string("school", required: true, example: "\"140001\"", log: &log)
        var ok = adviser != nil && school != nil
        if let adviser, let n = f.node("adviser"), !adviserReference(adviser, n, edit: edit, log: &log) { ok = false }
        if let school, let n = f.node("school"), !schoolReference(school, n, edit: edit, log: &log) { ok = false }
        guard ok, let adviser, let school else { return nil }
        return PairKey(adviser: adviser, school: school)
    }

    // MARK: Budget, weights, rules, programme

    mutating func readSections(into change: inout ScenarioChange, log: inout DiagnosticLog) {
        if let (node, table) = section("budget", log: &log) {
            let f = fields("budget", node, table)
            var amount = f.number("amount", range: -1e12...1e12, log: &log)
            if let a = amount, let n = f.node("amount"), !(a > 0 && a <= 1e9) {
                log.add(file, n.line, n.column, a <= 0 ? "`budget.amount` must be more than 0; found \(formatNumber(a)) (write `none = true` for no budget)"
                        : "`budget.amount` must be at most 1000000000; found \(formatNumber(a))")
                amount = nil
            }
            let none = f.bool("none", log: &log)
            if none == false, let n = f.node("none") {
                log.add(file, n.line, n.column, "`budget.none` can only be true (no budget); to set a budget give `amount`")
            }
            let was = base.programme.budget.map { " (was \(pounds($0)))" } ?? " (there was none)"
            if f.node("amount") != nil && f.node("none") != nil {
                log.add(file, node.line, node.column, "[budget] takes either `amount` or `none = true`, not both")
            } else if !f.isWritten("amount") && !f.isWritten("none") {
                log.add(file, node.line, node.column, "[budget] needs `amount` (e.g. amount = 200000) or `none = true`")
            } else if let amount {
                change.budget = .amount(amount)
                note(node, "set the budget to \(pounds(amount))\(was)")
            } else if none == true {
                change.budget = ScenarioChange.BudgetEdit.none
                note(node, "remove the budget" + (base.programme.budget.map { " (was \(pounds($0)))" } ?? " (there was none)"))
            }
        }
        if let (node, table) = section("weights", log: &log) {
            let f = fields("weights", node, table)
            let ranges: [(String, ClosedRange<Double>, Double)] = [
                ("expertise", 0...1e6, base.weights.expertise), ("disadvantage", 0...100, base.weights.disadvantage),
                ("continuity", 0...1e6, base.weights.continuity), ("travel", 0...1e4, base.weights.travel),
                ("unmet_penalty", 0...1e7, base.weights.unmetPenalty),
            ]
            for (key, range, old) in ranges {
                guard let v = f.number(key, range: range, log: &log), let n = f.node(key) else { continue }
                change.weightEdits.append((key, v))
                note(n, "set weights.\(key) to \(formatNumber(v)) (was \(formatNumber(old)))")
            }
        }
        if let (node, table) = section("rules", log: &log) {
            let f = fields("rules", node, table)
            if let v = f.number("max_travel_minutes", range: 1...600, log: &log), let n = f.node("max_travel_minutes") {
                change.ruleEdits.maxTravelMinutes = v
                note(n, "set rules.max_travel_minutes to \(formatNumber(v)) (was \(formatNumber(base.rules.maxTravelMinutes)))")
            }
            if let v = f.number("lead_days", range: 0...100, log: &log), let n = f.node("lead_days") {
                change.ruleEdits.leadDays = v
                note(n, "set rules.lead_days to \(formatNumber(v)) (was \(formatNumber(base.rules.leadDays)))")
            }
            if let text = f.string("independence", log: &log), let n = f.node("independence") {
                if let level = IndependenceLevel(rawValue: text) {
                    change.ruleEdits.independence = level
                    note(n, "set rules.independence to \(level.rawValue) (was \(base.rules.independence.rawValue))")
                } else {
                    log.add(file, n.line, n.column, "`rules.independence` must be one of none, trust, local-authority; found \"\(text)\"")
                }
            }
            if let v = f.bool("require_lead", log: &log), let n = f.node("require_lead") {
                change.ruleEdits.requireLead = v
                note(n, "set rules.require_lead to \(v) (was \(base.rules.requireLead))")
            }
        }
        if let (node, table) = section("programme", log: &log) {
            let f = fields("programme", node, table)
            let start = f.date("start", log: &log)
            let end = f.date("end", log: &log)
            if !f.isWritten("start") && !f.isWritten("end") {
                log.add(file, node.line, node.column, "[programme] changes nothing; give `start`, `end` or both")
            }
            let newStart = start ?? base.programme.start, newEnd = end ?? base.programme.end
            if (start != nil || end != nil), newEnd <= newStart, let n = f.node("end") ?? f.node("start") {
                log.add(file, n.line, n.column, "the programme must end after it starts (\(newStart)); found end = \(newEnd)")
            } else {
                change.start = start
                change.end = end
                if let start, let n = f.node("start") { note(n, "move the programme start to \(start) (was \(base.programme.start))") }
                if let end, let n = f.node("end") { note(n, "move the programme end to \(end) (was \(base.programme.end))") }
            }
        }
    }
}

/// Typed access to the keys of one section, with located messages in the manifest's wording.
private struct Fields {
    let file: String
    /// The section's name for messages (`capacity` in `capacity.scale`); empty at the top level.
    let section: String
    /// How the section is written, e.g. `[[capacity]]`.
    let header: String
    /// Where the section starts, for missing keys.
    let anchor: TOMLNode
    let table: TOMLTable

    func node(_ key: String) -> TOMLNode? { table[key] }
    /// Whether the key is written at all, readable or not.
    func isWritten(_ key: String) -> Bool { table[key] != nil || table.unreadableKeys.contains(key) || table.hasUnreadableLine }
    func name(_ key: String) -> String { section.isEmpty ? key : section + "." + key }

    func missing(_ key: String, _ example: String, log: inout DiagnosticLog) {
        // An unreadable value was reported where it stands.
        if table.unreadableKeys.contains(key) || table.hasUnreadableLine { return }
        log.add(file, anchor.line, anchor.column, "missing `\(key)` in \(header); add e.g. `\(key) = \(example)`")
    }

    func string(_ key: String, required: Bool = false, example: String = "", log: inout DiagnosticLog) -> String? {
        guard let node = node(key) else {
            if required { missing(key, example, log: &log) }
            return nil
        }
        guard case .string(let text) = node.value else {
            log.add(file, node.line, node.column, "`\(name(key))` must be text in double quotes; found \(node.typeName)")
            return nil
        }
        if required && text.trimmingCharacters(in: .whitespaces).isEmpty {
            log.add(file, node.line, node.column, "`\(name(key))` is empty")
            return nil
        }
        return text
    }

    func number(_ key: String, required: Bool = false, range: ClosedRange<Double>, example: String = "", log: inout DiagnosticLog) -> Double? {
        guard let node = node(key) else {
            if required { missing(key, example, log: &log) }
            return nil
        }
        return node.number(name(key), range: range, file: file, log: &log)
    }

    func integer(_ key: String, required: Bool = false, range: ClosedRange<Int>, example: String = "", log: inout DiagnosticLog) -> Int? {
        guard let value = number(key, required: required, range: Double(range.lowerBound)...Double(range.upperBound), example: example, log: &log),
              let node = node(key) else { return nil }
        guard value == value.rounded() else {
            log.add(file, node.line, node.column, "`\(name(key))` must be a whole number; found \(formatNumber(value))")
            return nil
        }
        return Int(value)
    }

    func bool(_ key: String, log: inout DiagnosticLog) -> Bool? {
        guard let node = node(key) else { return nil }
        guard case .bool(let b) = node.value else {
            log.add(file, node.line, node.column, "`\(name(key))` must be true or false; found \(node.typeName)")
            return nil
        }
        return b
    }

    func date(_ key: String, log: inout DiagnosticLog) -> CivilDate? {
        guard let node = node(key) else { return nil }
        guard case .date(let d) = node.value else {
            log.add(file, node.line, node.column, "`\(name(key))` must be a date written YYYY-MM-DD without quotes; found \(node.typeName)")
            return nil
        }
        return d
    }
}

private func nonEmpty(_ text: String?) -> String? {
    guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
    return text
}

/// "1 day", "2.5 days".
private func plural(_ value: Double, _ word: String) -> String {
    "\(formatNumber(value.rounded(toPlaces: 2))) \(word)\(value == 1 ? "" : "s")"
}

private func plural(_ value: Int, _ word: String) -> String { plural(Double(value), word) }

/// "£200,000", "£1,250.50".
private func pounds(_ amount: Double) -> String {
    let whole = Int(amount.rounded(.down))
    var digits = String(whole)
    var groups: [String] = []
    while digits.count > 3 {
        groups.insert(String(digits.suffix(3)), at: 0)
        digits.removeLast(3)
    }
    groups.insert(digits, at: 0)
    let pence = Int(((amount - Double(whole)) * 100).rounded())
    return "£" + groups.joined(separator: ",") + (pence == 0 ? "" : "." + (pence < 10 ? "0" : "") + String(pence))
}
