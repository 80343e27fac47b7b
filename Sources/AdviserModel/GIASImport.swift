import Foundation

/// Reads a "Get Information about Schools" (GIAS) export, the DfE register's CSV download, and turns the rows a
/// programme wants into a scenario's `schools.csv`.
///
/// A missing or suppressed value is never turned into a number: the row keeps a blank cell and gets a warning
/// naming the file, line, column and URN. A school without usable coordinates cannot be placed on the map, so
/// it is left out with a warning (the manager can add it by hand) rather than stopping the import.
public enum GIASImport {
    // MARK: Columns

    /// The GIAS columns read. Names are GIAS's own; they are matched ignoring case and surrounding spaces.
    public enum Column {
        public static let urn = "URN"
        public static let name = "EstablishmentName"
        public static let localAuthority = "LA (name)"
        public static let phase = "PhaseOfEducation (name)"
        public static let easting = "Easting"
        public static let northing = "Northing"
        public static let type = "TypeOfEstablishment (name)"
        public static let status = "EstablishmentStatus (name)"
        public static let trust = "Trusts (name)"
        public static let pupils = "NumberOfPupils"
        public static let disadvantaged = "PercentageFSM"
        public static let rating = "OfstedRating (name)"

        public static let required = [urn, name, localAuthority, phase, easting, northing]
        /// Read when present. A missing one gets one warning (its schools.csv column is then blank for every
        /// school); the status column is needed only for --open-only.
        public static let optional = [type, status, trust, pupils, disadvantaged, rating]
    }

    /// The `schools.csv` header written, the same columns and order as every other scenario's.
    public static let schoolsHeader = ["id", "name", "phase", "local_authority", "trust", "pupils", "disadvantaged_pct",
                                       "inspection_grade", "latitude", "longitude"]

    // MARK: Values

    public struct Options: Sendable, Equatable {
        /// Local authorities to keep, as in GIAS's `LA (name)` (any case); empty keeps every authority.
        public var localAuthorities: [String]
        /// Phases to keep, after GIAS phases are mapped to the planner's; empty keeps every plannable phase.
        public var phases: [Phase]
        /// Keep only establishments that are open today (`Open`, and `Open, but proposed to close`).
        public var openOnly: Bool

        public init(localAuthorities: [String] = [], phases: [Phase] = [], openOnly: Bool = false) {
            self.localAuthorities = localAuthorities; self.phases = phases; self.openOnly = openOnly
        }
    }

    /// One row of `schools.csv`. Optional values are nil when GIAS has none; they are written as blank cells.
    public struct ImportedSchool: Sendable, Equatable {
        public var id: String
        public var name: String
        public var phase: Phase
        public var localAuthority: String
        public var trust: String?
        public var pupils: Int?
        public var disadvantagedPercent: Double?
        public var inspectionGrade: Int?
        public var location: GeoPoint

        public init(id: String, name: String, phase: Phase, localAuthority: String, trust: String? = nil, pupils: Int? = nil,
                    disadvantagedPercent: Double? = nil, inspectionGrade: Int? = nil, location: GeoPoint) {
            self.id = id; self.name = name; self.phase = phase; self.localAuthority = localAuthority; self.trust = trust
            self.pupils = pupils; self.disadvantagedPercent = disadvantagedPercent; self.inspectionGrade = inspectionGrade
            self.location = location
        }
    }

    /// Why a row was left out, in the order the summary lists them.
    public enum SkipReason: Int, CaseIterable, Sendable, Comparable {
        case otherLocalAuthority, notOpen, noPlannablePhase, otherPhase, noURN, duplicateURN, noName, noCoordinates

        public static func < (a: SkipReason, b: SkipReason) -> Bool { a.rawValue < b.rawValue }

        public var words: String {
            switch self {
            case .noURN: return "no URN"
            case .otherLocalAuthority: return "in another local authority"
            case .notOpen: return "not open (--open-only)"
            case .noPlannablePhase: return "a phase the planner does not use"
            case .otherPhase: return "a phase not asked for (--phase)"
            case .duplicateURN: return "a URN already read"
            case .noName: return "no name"
            case .noCoordinates: return "no usable coordinates"
            }
        }
    }

    public enum TextEncoding: String, Sendable {
        case utf8 = "UTF-8"
        case windows1252 = "Windows-1252"
    }

    public struct Summary: Sendable, Equatable {
        public var file: String
        public var encoding: TextEncoding
        public var rowsRead = 0
        public var kept = 0
        /// Rows left out, by reason.
        public var skipped: [SkipReason: Int] = [:]
        /// Rows with a GIAS phase the planner has no use for, by "`phase` (type)", for the summary.
        public var unplannedPhases: [String: Int] = [:]
        /// Kept schools by local authority and by phase.
        public var keptByLocalAuthority: [String: Int] = [:]
        public var keptByPhase: [Phase: Int] = [:]
        /// Kept schools whose GIAS status is not `Open` (closed, or proposed to open), when --open-only is off.
        public var keptNotOpen = 0
        /// Kept schools whose pupils or % disadvantaged is left blank (each also has a warning).
        public var withoutPupils = 0
        public var withoutDisadvantage = 0
        /// Kept schools with no Ofsted rating at all in GIAS (a normal state, so counted rather than warned about).
        public var withoutGrade = 0

        public init(file: String, encoding: TextEncoding) {
            self.file = file; self.encoding = encoding
        }

        /// Lines for stderr, always in the same order.
        public var lines: [String] {
            var out = ["Read \(rowsRead) establishment\(rowsRead == 1 ? "" : "s") from \(file) (\(encoding.rawValue))."]
            var kept = "Kept \(self.kept)"
            if self.kept > 0 {
                let las = keptByLocalAuthority.keys.sorted().map { "\($0) \(keptByLocalAuthority[$0]!)" }
                let phases = keptByPhase.keys.sorted().map { "\($0.rawValue) \(keptByPhase[$0]!)" }
                kept += ": " + las.joined(separator: ", ") + "; " + phases.joined(separator: ", ")
            }
            out.append(kept + ".")
            let total = skipped.values.reduce(0, +)
            if total > 0 {
                out.append("Skipped \(total):")
                for reason in skipped.keys.sorted() {
                    var line = "  \(skipped[reason]!) \(reason.words)"
                    if reason == .noPlannablePhase {
                        line += ": " + unplannedPhases.keys.sorted().map { "\($0) \(unplannedPhases[$0]!)" }.joined(separator: ", ")
                    }
                    out.append(line)
                }
            }
            if keptNotOpen > 0 {
                out.append("\(keptNotOpen) kept school\(keptNotOpen == 1 ? " is" : "s are") not open (closed or proposed to open); add --open-only to leave them out.")
            }
            var blanks: [String] = []
            if withoutPupils > 0 { blanks.append("pupils for \(withoutPupils)") }
            if withoutDisadvantage > 0 { blanks.append("disadvantaged_pct for \(withoutDisadvantage)") }
            if !blanks.isEmpty {
                out.append("Left blank where GIAS has no usable value: " + blanks.joined(separator: ", ") + " (each school is named in a warning).")
            }
            if withoutGrade > 0 {
                out.append("No Ofsted rating in GIAS for \(withoutGrade) kept school\(withoutGrade == 1 ? "" : "s") (not yet inspected, or no overall grade): inspection_grade is blank.")
            }
            return out
        }
    }

    public struct Result: Sendable {
        /// Sorted by URN.
        public var schools: [ImportedSchool]
        /// Located warnings, in file order: missing or suppressed values, skipped rows.
        public var warnings: [Diagnostic]
        public var summary: Summary
    }

    public enum ImportError: Error, Equatable, CustomStringConvertible {
        /// The file is not CSV text at all (a workbook, UTF-16 text, an empty file).
        case notCSV(file: String, reason: String)
        /// The header or the CSV structure is wrong; every problem found, located.
        case invalid([Diagnostic])
        /// A `--la` name matches no row of the export.
        case unknownLocalAuthority(file: String, name: String, suggestions: [String], available: [String])
        /// A `--phase` value is not one of the planner's phases.
        case unknownPhase(name: String, suggestion: String?)
        /// The filters left nothing to write.
        case nothingKept(Summary)

        public var description: String {
            switch self {
            case .notCSV(let file, let reason):
                return "\(file): not a CSV file: \(reason). In GIAS choose Download › establishment fields › CSV; "
                    + "if you opened it in Excel, save it with Save As › \"CSV UTF-8 (Comma delimited)\"."
            case .invalid(let list):
                return list.map(\.description).joined(separator: "\n")
            case .unknownLocalAuthority(let file, let name, let suggestions, let available):
                var text = "--la \(name): no establishment in \(file) is in that local authority"
                if !suggestions.isEmpty { text += "; did you mean " + suggestions.map { "`\($0)`" }.joined(separator: " or ") + "?" }
                else if available.count <= 12 { text += "; the export's local authorities are \(available.joined(separator: ", "))" }
                else { text += "; the export has \(available.count) local authorities: write the name as in its `LA (name)` column" }
                return text
            case .unknownPhase(let name, let suggestion):
                var text = "--phase \(name): not a phase; expected \(Phase.allCases.map(\.rawValue).joined(separator: ", "))"
                if let suggestion { text += " (did you mean `\(suggestion)`?)" }
                return text
            case .nothingKept(let summary):
                return "no school to write: every establishment was left out.\n" + summary.lines.joined(separator: "\n")
            }
        }
    }

    // MARK: Options

    /// The planner's phases from `--phase` values, each a phase or a comma-separated list of them (any case).
    public static func phases(_ values: [String]) throws -> [Phase] {
        var out: [Phase] = []
        for value in values {
            for part in value.split(separator: ",", omittingEmptySubsequences: true) {
                let word = part.trimmingCharacters(in: .whitespaces)
                guard let phase = Phase(rawValue: word.lowercased()) ?? Phase(rawValue: word.lowercased().replacingOccurrences(of: " ", with: "-")) else {
                    throw ImportError.unknownPhase(name: word, suggestion: closestMatch(to: word, in: Phase.allCases.map(\.rawValue)))
                }
                if !out.contains(phase) { out.append(phase) }
            }
        }
        return out.sorted()
    }

    // MARK: Reading

    /// The text of an export. GIAS has served both UTF-8 and Windows-1252 files over the years, and a file saved
    /// from Excel may be either, so bytes that are not valid UTF-8 are read as Windows-1252 (a superset of
    /// Latin-1, where "é" is one byte) rather than refused.
    public static func decode(_ data: Data, file: String) throws -> (text: String, encoding: TextEncoding) {
        let bytes = [UInt8](data)
        if bytes.isEmpty { throw ImportError.notCSV(file: file, reason: "the file is empty") }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw ImportError.notCSV(file: file, reason: "it is a zip file, probably an Excel workbook (.xlsx) or a zipped download; unzip it or save it as CSV")
        }
        // NUL bytes never occur in CSV text; they mean UTF-16 ("Unicode Text") or some binary file.
        if bytes.contains(0) {
            throw ImportError.notCSV(file: file, reason: "it holds zero bytes, so it is UTF-16 (\"Unicode Text\") or binary, not CSV text")
        }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, .utf8) }
        return (windows1252(bytes), .windows1252)
    }

    /// Windows-1252: ASCII and Latin-1 plus printable characters (€, ‘ ’, “ ”, –, —, …) in 0x80-0x9F. The five
    /// bytes that code page leaves undefined are kept as the C1 controls of the same number, as Latin-1 reads them.
    static func windows1252(_ bytes: [UInt8]) -> String {
        let high: [UInt32] = [0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
                              0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178]
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value = (0x80...0x9F).contains(byte) ? high[Int(byte) - 0x80] : UInt32(byte)
            scalars.append(Unicode.Scalar(value)!)
        }
        return String(scalars)
    }

    /// Reads the export's rows, keeps those `options` ask for and converts them; throws when the file cannot be
    /// used or a `--la` name matches nothing. `file` names the export in messages.
    public static func read(_ text: String, file: String, encoding: TextEncoding = .utf8, options: Options) throws -> Result {
        var log = DiagnosticLog()
        let table = CSVTable.parse(text, file: file, log: &log)
        if !log.isEmpty { throw ImportError.invalid(log.sorted) }
        if table.header.isEmpty { throw ImportError.notCSV(file: file, reason: "it has no header row") }

        // Header: find GIAS's columns (any case), and say what is missing with a hint for a near miss.
        var index: [String: Int] = [:]
        let headerNames = table.header.map { $0.text.trimmingCharacters(in: .whitespaces) }
        for name in Column.required + Column.optional {
            if let position = headerNames.firstIndex(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) { index[name] = position }
        }
        let missing = Column.required.filter { index[$0] == nil } + (options.openOnly && index[Column.status] == nil ? [Column.status] : [])
        if !missing.isEmpty {
            // A near-miss hint helps with a renamed column; in a file that is not a GIAS export at all it would mislead.
            let foreign = Column.required.allSatisfy(missing.contains)
            let parts = missing.map { name -> String in
                let hint = foreign ? nil : closestMatch(to: name, in: headerNames.filter { !$0.isEmpty })
                return "`\(name)`" + (hint.map { " (is `\($0)` it?)" } ?? "")
            }
            var message = "missing column\(missing.count == 1 ? "" : "s") \(parts.joined(separator: ", ")) in the header"
            if foreign { message = "this is not a Get Information about Schools export: " + message }
            message += "; GIAS exports name them \(Column.required.map { "`\($0)`" }.joined(separator: ", "))"
            throw ImportError.invalid([Diagnostic(file: file, line: table.header[0].line, column: 1, message: message)])
        }
        var warnings = DiagnosticLog()
        for name in Column.optional where index[name] == nil && name != Column.status {
            let effect = name == Column.type ? "special schools and pupil referral units are told apart by `PhaseOfEducation (name)` alone"
                : "\(blankedColumn(name)) is left blank for every school"
            warnings.add(file, table.header[0].line, 1, "column `\(name)` is not in the export; \(effect)")
        }
        // Every row must have the header's fields, or values would be read from the wrong columns. GIAS writes a
        // school's several links in the last column, `Linked establishments`, as several fields ("115961
        // Predecessor","148215 Successor"), so extra fields after that column are GIAS's own and harmless.
        let linksLast = headerNames.last?.caseInsensitiveCompare("Linked establishments") == .orderedSame
        for record in table.records where record.cells.count < table.header.count || (record.cells.count > table.header.count && !linksLast) {
            log.add(file, record.line, record.cells.last?.column ?? 1,
                    "this row has \(record.cells.count) fields but the header has \(table.header.count); the export is damaged: download it again")
        }
        if !log.isEmpty { throw ImportError.invalid(log.sorted) }

        func cell(_ record: CSVTable.Record, _ column: String) -> CSVCell? {
            guard let position = index[column] else { return nil }
            return record.cells[position]
        }

        // --la names must each match some row, whatever the other filters.
        let allAuthorities = Set(table.records.compactMap { cell($0, Column.localAuthority)?.text.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        let available = allAuthorities.sorted()
        var wanted: Set<String> = []
        for name in options.localAuthorities {
            let key = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard available.contains(where: { $0.lowercased() == key }) else {
                throw ImportError.unknownLocalAuthority(file: file, name: name, suggestions: closestAuthorities(to: key, in: available), available: available)
            }
            wanted.insert(key)
        }

        var summary = Summary(file: file, encoding: encoding)
        var schools: [ImportedSchool] = []
        var seen: [String: Int] = [:]
        for record in table.records {
            summary.rowsRead += 1
            func skip(_ reason: SkipReason) { summary.skipped[reason, default: 0] += 1 }
            let la = cell(record, Column.localAuthority)!.text
            if !wanted.isEmpty && !wanted.contains(la.trimmingCharacters(in: .whitespaces).lowercased()) { skip(.otherLocalAuthority); continue }
            let status = cell(record, Column.status)?.text
            let open = status.map(isOpen)
            if options.openOnly && open != true { skip(.notOpen); continue }
            let giasPhase = cell(record, Column.phase)!.text
            let type = cell(record, Column.type)?.text ?? ""
            guard let phase = plannedPhase(phase: giasPhase, type: type) else {
                let label = "`\(giasPhase.isEmpty ? "(blank)" : giasPhase)`" + (type.isEmpty ? "" : " (\(type))")
                summary.unplannedPhases[label, default: 0] += 1
                skip(.noPlannablePhase)
                continue
            }
            if !options.phases.isEmpty && !options.phases.contains(phase) { skip(.otherPhase); continue }
            // Rows the filters leave out are not checked further, so warnings are only about schools asked for.
            let urnCell = cell(record, Column.urn)!
            let urn = urnCell.text
            guard !urn.isEmpty else {
                warnings.add(file, urnCell.line, urnCell.column, "`URN` is blank, so the school has no id; the row is skipped")
                skip(.noURN)
                continue
            }
            let nameCell = cell(record, Column.name)!
            let label = "URN \(urn)" + (nameCell.text.isEmpty ? "" : " (\(nameCell.text))")
            if let first = seen[urn] {
                warnings.add(file, urnCell.line, urnCell.column, "\(label) is listed twice (first on line \(first)); the second row is skipped")
                skip(.duplicateURN)
                continue
            }
            seen[urn] = record.line
            guard !nameCell.text.isEmpty else {
                warnings.add(file, nameCell.line, nameCell.column, "\(label): `EstablishmentName` is blank; the row is skipped")
                skip(.noName)
                continue
            }
            guard let location = coordinates(cell(record, Column.easting)!, cell(record, Column.northing)!, label: label,
                                              file: file, warnings: &warnings) else {
                skip(.noCoordinates)
                continue
            }
            var school = ImportedSchool(id: urn, name: nameCell.text, phase: phase, localAuthority: la, location: location)
            if let trust = cell(record, Column.trust)?.text, !trust.isEmpty { school.trust = trust }
            if let c = cell(record, Column.pupils) {
                school.pupils = number(c, Column.pupils, range: 0...5000, whole: true, label: label, file: file, warnings: &warnings).map { Int($0) }
            }
            if let c = cell(record, Column.disadvantaged) {
                school.disadvantagedPercent = number(c, Column.disadvantaged, range: 0...100, whole: false, label: label, file: file, warnings: &warnings)
            }
            if let c = cell(record, Column.rating) {
                school.inspectionGrade = grade(c, label: label, file: file, warnings: &warnings)
            }
            if status == "Open, but proposed to close", let c = cell(record, Column.status) {
                warnings.add(file, c.line, c.column, "\(label) is open but proposed to close; it is kept")
            }
            if open == false { summary.keptNotOpen += 1 }
            if school.pupils == nil { summary.withoutPupils += 1 }
            if school.disadvantagedPercent == nil { summary.withoutDisadvantage += 1 }
            if (cell(record, Column.rating)?.text ?? "").isEmpty { summary.withoutGrade += 1 }
            summary.keptByLocalAuthority[la, default: 0] += 1
            summary.keptByPhase[phase, default: 0] += 1
            schools.append(school)
        }
        summary.kept = schools.count
        if schools.isEmpty { throw ImportError.nothingKept(summary) }
        schools.sort { urnOrder($0.id, $1.id) }
        return Result(schools: schools, warnings: warnings.sorted, summary: summary)
    }

    /// GIAS's phase, refined by the type of establishment, as one of the planner's phases; nil for post-16
    /// institutions and establishments without a school phase (independent schools, FE colleges, ...). Special
    /// schools and pupil referral units are `special` and `alternative-provision` whatever GIAS's phase, because
    /// advisers' experience of them is distinct from mainstream schools of the same age range.
    public static func plannedPhase(phase: String, type: String) -> Phase? {
        let p = phase.lowercased().trimmingCharacters(in: .whitespaces)
        let t = type.lowercased()
        if p == "16 plus" { return nil }
        if t.contains("special") { return .special }
        if t.contains("pupil referral unit") || t.contains("alternative provision") { return .alternativeProvision }
        switch p {
        case "primary", "middle deemed primary": return .primary
        case "secondary", "middle deemed secondary": return .secondary
        case "all-through", "all through": return .allThrough
        case "nursery": return .nursery
        default: return nil
        }
    }

    /// The `--la` hint: the closest spelling (see `closestMatch`), then names that contain what was typed or are
    /// contained in it ("Hull" finds "Kingston upon Hull, City of"); at most five, in alphabetical order after the first.
    static func closestAuthorities(to key: String, in available: [String]) -> [String] {
        var out: [String] = closestMatch(to: key, in: available).map { [$0] } ?? []
        for name in available where !out.contains(name) && key.count >= 3 {
            let lower = name.lowercased()
            if lower.contains(key) || key.contains(lower) { out.append(name) }
        }
        return Array(out.prefix(5))
    }

    /// GIAS statuses: `Open`, `Open, but proposed to close`, `Closed`, `Proposed to open`.
    static func isOpen(_ status: String) -> Bool {
        status == "Open" || status == "Open, but proposed to close"
    }

    /// Ofsted's overall effectiveness as 1-4. Serious weaknesses and special measures are the two categories
    /// of an inadequate (4) judgement.
    static let grades: [String: Int] = ["outstanding": 1, "good": 2, "requires improvement": 3, "inadequate": 4,
                                        "serious weaknesses": 4, "special measures": 4]

    static func blankedColumn(_ gias: String) -> String {
        switch gias {
        case Column.trust: return "`trust`"
        case Column.pupils: return "`pupils`"
        case Column.disadvantaged: return "`disadvantaged_pct`"
        default: return "`inspection_grade`"
        }
    }

    /// WGS84 from the row's Easting and Northing; nil, with a warning, when they are blank, not numbers or
    /// off the National Grid.
    static func coordinates(_ e: CSVCell, _ n: CSVCell, label: String, file: String, warnings: inout DiagnosticLog) -> GeoPoint? {
        if e.text.isEmpty || n.text.isEmpty {
            let which = e.text.isEmpty && n.text.isEmpty ? "`Easting` and `Northing` are" : e.text.isEmpty ? "`Easting` is" : "`Northing` is"
            let at = e.text.isEmpty ? e : n
            warnings.add(file, at.line, at.column, "\(label): \(which) blank, so the school cannot be placed on the map; "
                         + "it is skipped (add it to schools.csv by hand, with latitude and longitude, if it belongs in the programme)")
            return nil
        }
        for (c, column, range) in [(e, Column.easting, NationalGrid.eastings), (n, Column.northing, NationalGrid.northings)] {
            guard let value = Double(c.text), value.isFinite, range.contains(value) else {
                warnings.add(file, c.line, c.column, "\(label): `\(column)` must be metres on the British National Grid "
                             + "(\(Int(range.lowerBound))-\(Int(range.upperBound))), found `\(c.text)`; the school is skipped")
                return nil
            }
        }
        if Double(e.text) == 0 && Double(n.text) == 0 {
            warnings.add(file, e.line, e.column, "\(label): `Easting` and `Northing` are 0, GIAS's mark for a school it has no location for; "
                         + "it is skipped (add it to schools.csv by hand, with latitude and longitude, if it belongs in the programme)")
            return nil
        }
        let point = NationalGrid.wgs84(easting: Double(e.text)!, northing: Double(n.text)!)
        // The loader accepts the UK's box; National Grid squares at sea or over Ireland fall outside it.
        guard TableReaders.ukLatitude.contains(point.latitude), TableReaders.ukLongitude.contains(point.longitude) else {
            warnings.add(file, e.line, e.column, "\(label): `Easting` \(e.text), `Northing` \(n.text) is not in the UK "
                         + "(\(fixed(point.latitude, 5)), \(fixed(point.longitude, 5))); the school is skipped")
            return nil
        }
        return point
    }

    /// A number in `range`, or nil with a warning: blank, suppressed (`SUPP`), not applicable (`NE`, `x`, ...)
    /// and out-of-range values all leave the cell blank rather than becoming 0.
    static func number(_ c: CSVCell, _ column: String, range: ClosedRange<Double>, whole: Bool, label: String, file: String,
                       warnings: inout DiagnosticLog) -> Double? {
        var target = blankedColumn(column) + " is left blank"
        // A blank share of disadvantaged pupils weighs like 0% in the objective; say so, so it is filled in if known.
        if column == Column.disadvantaged { target += " (the plan then gives the school no extra weight for disadvantage)" }
        guard !c.text.isEmpty else {
            warnings.add(file, c.line, c.column, "\(label): `\(column)` is blank; \(target)")
            return nil
        }
        guard let value = Double(c.text), value.isFinite else {
            warnings.add(file, c.line, c.column, "\(label): `\(column)` is `\(c.text)` (suppressed or not available), not a number; \(target)")
            return nil
        }
        guard !whole || value == value.rounded() else {
            warnings.add(file, c.line, c.column, "\(label): `\(column)` must be a whole number, found \(c.text); \(target)")
            return nil
        }
        guard range.contains(value) else {
            warnings.add(file, c.line, c.column, "\(label): `\(column)` \(c.text) is outside \(formatNumber(range.lowerBound))-\(formatNumber(range.upperBound)), "
                         + "the range schools.csv accepts; \(target)")
            return nil
        }
        return value
    }

    /// A blank rating is normal (never inspected, or inspected without a single overall grade) and is counted
    /// in the summary only; a rating that is not one of Ofsted's four judgements is warned about.
    static func grade(_ c: CSVCell, label: String, file: String, warnings: inout DiagnosticLog) -> Int? {
        guard !c.text.isEmpty else { return nil }
        if let grade = grades[c.text.lowercased()] { return grade }
        warnings.add(file, c.line, c.column, "\(label): `\(Column.rating)` `\(c.text)` is not one of Outstanding, Good, "
                     + "Requires improvement, Inadequate (Serious Weaknesses, Special Measures); `inspection_grade` is left blank")
        return nil
    }

    /// URNs are numbers: order them as numbers when both are, so 99999 comes before 100000.
    static func urnOrder(_ a: String, _ b: String) -> Bool {
        switch (UInt64(a), UInt64(b)) {
        case let (x?, y?): return x != y ? x < y : a < b
        case (_?, nil): return true
        case (nil, _?): return false
        case (nil, nil): return a < b
        }
    }

    // MARK: Writing

    /// The schools as `schools.csv`: ScenarioWriter's quoting and `\n` line ends, blank cells for missing values,
    /// coordinates to 5 decimals (about a metre, finer than the conversion's few metres).
    public static func schoolsCSV(_ schools: [ImportedSchool]) -> String {
        var text = schoolsHeader.joined(separator: ",") + "\n"
        for s in schools {
            ScenarioWriter.row(&text, [s.id, s.name, s.phase.rawValue, s.localAuthority, s.trust ?? "",
                                       s.pupils.map(String.init) ?? "", s.disadvantagedPercent.map(formatNumber) ?? "",
                                       s.inspectionGrade.map(String.init) ?? "",
                                       fixed(s.location.latitude, 5), fixed(s.location.longitude, 5)])
        }
        return text
    }

    /// Exactly `places` decimals, independent of locale, e.g. 51.26140 or -0.00150.
    static func fixed(_ x: Double, _ places: Int) -> String {
        var scale: UInt64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = UInt64((abs(x) * Double(scale)).rounded())
        let sign = x < 0 && scaled != 0 ? "-" : ""
        let fraction = String(scaled % scale)
        return sign + String(scaled / scale) + "." + String(repeating: "0", count: places - fraction.count) + fraction
    }
}
