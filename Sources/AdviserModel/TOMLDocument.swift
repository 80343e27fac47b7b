import Foundation

/// A calendar date with no time zone: what a programme, a term or a visit is planned on.
public struct CivilDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CivilDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    /// Parses `YYYY-MM-DD`, rejecting impossible dates such as 2026-02-30.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Reads a date as a UK spreadsheet shows it, day/month/year (`05/01/2026`, `5/1/2026`), to say how to
    /// write it; nil for anything else, or for a year not written in full.
    public init?(spreadsheet text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) ? Int($0) : nil }
        guard parts.count == 3, let d = parts[0], let m = parts[1], let y = parts[2], y >= 1000 else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for arithmetic and weekdays.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    public var weekday: Int { ((dayNumber % 7) + 7 + 3) % 7 + 1 }

    public var description: String {
        // Built by hand: String(format:) is slow, and model building names thousands of columns by date.
        CivilDate.zeroPadded(year, 4) + "-" + CivilDate.zeroPadded(month, 2) + "-" + CivilDate.zeroPadded(day, 2)
    }

    /// `n` in at least `width` digits, as `%0*d` writes a non-negative number.
    static func zeroPadded(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.dayNumber < b.dayNumber }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CivilDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "`\(text)` is not a date YYYY-MM-DD"))
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A value in a TOML file, with the 1-based line and column where it starts.
public struct TOMLNode: Sendable {
    public indirect enum Value: Sendable {
        case string(String)
        case integer(Int)
        case float(Double)
        case bool(Bool)
        case date(CivilDate)
        case array([TOMLNode])
        case table(TOMLTable)
    }
    public var value: Value
    public var line: Int
    public var column: Int

    public var typeName: String {
        switch value {
        case .string: return "a string"
        case .integer: return "a whole number"
        case .float: return "a number"
        case .bool: return "true or false"
        case .date: return "a date"
        case .array: return "a list"
        case .table: return "a table"
        }
    }
}

extension TOMLNode {
    /// The value as a number within `range`, or nil with a located message naming `label` (e.g. `rules.lead_days`).
    func number(_ label: String, range: ClosedRange<Double>, file: String, log: inout DiagnosticLog) -> Double? {
        let value: Double
        switch self.value {
        case .integer(let n): value = Double(n)
        case .float(let x): value = x
        default:
            log.add(file, line, column, "`\(label)` must be a number; found \(typeName)")
            return nil
        }
        guard range.contains(value) else {
            log.add(file, line, column, "`\(label)` must be between \(formatNumber(range.lowerBound)) and \(formatNumber(range.upperBound)); found \(formatNumber(value))")
            return nil
        }
        return value
    }
}

/// A TOML table that remembers the order keys were written in and where each key stands.
public struct TOMLTable: Sendable {
    public struct Entry: Sendable {
        public var key: String
        public var keyLine: Int
        public var keyColumn: Int
        public var node: TOMLNode
    }
    public var entries: [Entry] = []
    /// Keys written in this table whose value could not be read. That was reported where it stands, so
    /// readers must not report the key again as missing.
    public var unreadableKeys: Set<String> = []
    /// A line in this table whose key could not be read (cut short, no `=`): any setting might be the one
    /// it meant, so readers do not report settings of this table as missing.
    public var hasUnreadableLine = false
    /// True for tables opened implicitly by a dotted header such as `[a.b]` (for `a`).
    var implicit = false

    public subscript(key: String) -> TOMLNode? {
        entries.first { $0.key == key }?.node
    }

    public func entry(_ key: String) -> Entry? { entries.first { $0.key == key } }
    public var keys: [String] { entries.map(\.key) }
}

/// A reader for the TOML the scenario files use: tables, arrays of tables, key/value pairs with
/// strings, integers, floats, booleans, local dates, arrays and inline tables, and comments.
/// Date-times, times and multi-line strings are reported as unsupported rather than misread.
public struct TOMLDocument: Sendable {
    public var root: TOMLTable

    public static func parse(_ text: String, file: String, log: inout DiagnosticLog) -> TOMLDocument {
        var parser = TOMLParser(text: text, file: file)
        parser.parseDocument()
        for d in parser.diagnostics { log.add(d) }
        return TOMLDocument(root: parser.root)
    }
}

private struct TOMLParser {
    let s: [Unicode.Scalar]
    let file: String
    var i = 0
    var line = 1
    var column = 1
    var root = TOMLTable()
    var currentPath: [String] = []
    /// Index path of the current array-of-tables element, resolved when writing.
    var diagnostics: [Diagnostic] = []
    var definedTables: Set<String> = []

    init(text: String, file: String) {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        self.s = withLineFeeds(scalars)
        self.file = file
    }

    struct Failure: Error {}

    mutating func fail(_ message: String, line l: Int? = nil, column c: Int? = nil) -> Failure {
        diagnostics.append(Diagnostic(file: file, line: l ?? line, column: c ?? column, message: message))
        return Failure()
    }

    var atEnd: Bool { i >= s.count }
    var peek: Unicode.Scalar? { i < s.count ? s[i] : nil }

    mutating func advance() {
        if s[i] == "\n" { line += 1; column = 1 } else { column += 1 }
        i += 1
    }

    mutating func skipSpaces() {
        while let c = peek, c == " " || c == "\t" { advance() }
    }

    mutating func skipComment() {
        if peek == "#" { while let c = peek, c != "\n" { advance() } }
    }

    /// Skips to the start of the next line, used to recover after an error.
    mutating func skipLine() {
        while let c = peek, c != "\n" { advance() }
        if peek == "\n" { advance() }
    }

    mutating func expectLineEnd() throws {
        skipSpaces()
        skipComment()
        if peek == "\r" { advance() }
        if let c = peek, c != "\n" {
            if c == ",", i + 1 < s.count, ("0"..."9").contains(s[i + 1]) {
                throw fail("unexpected `,` in a number; write numbers without commas, e.g. 250000 or 250_000")
            }
            throw fail("unexpected `\(Character(c))` after the value; put one `key = value` per line (start comments with #)")
        }
        if peek == "\n" { advance() }
    }

    mutating func parseDocument() {
        while !atEnd {
            skipSpaces()
            guard let c = peek else { break }
            do {
                switch c {
                case "\n", "\r": advance()
                case "#": skipComment()
                case "[": try parseHeader(); try expectLineEnd()
                default:
                    let (path, name) = try parseKeyValue()
                    do { try expectLineEnd() } catch {
                        // Text after the value (`id = ""T2"`): the value read is not what was meant.
                        _ = try? withTable(path, line: line, column: column) { table in
                            table.entries.removeAll { $0.key == name }
                            table.unreadableKeys.insert(name)
                        }
                        throw error
                    }
                }
            } catch {
                skipLine()
            }
        }
    }

    mutating func parseKey() throws -> [(String, Int, Int)] {
        var parts: [(String, Int, Int)] = []
        repeat {
            skipSpaces()
            let l = line, c = column
            guard let ch = peek else { throw fail("expected a key") }
            if ch == "\"" || ch == "'" {
                parts.append((try parseString(), l, c))
            } else {
                var key = ""
                while let k = peek, k.properties.isAlphabetic || ("0"..."9").contains(k) || k == "_" || k == "-" {
                    key.unicodeScalars.append(k); advance()
                }
                if key.isEmpty { throw fail("expected a key name (letters, digits, _ or -) but found `\(Character(ch))`") }
                parts.append((key, l, c))
            }
            skipSpaces()
            if peek == "." { advance() } else { break }
        } while true
        return parts
    }

    mutating func parseHeader() throws {
        let l = line, c = column
        advance()
        let isArray = peek == "["
        if isArray { advance() }
        let key = try parseKey()
        guard peek == "]" else { throw fail("expected `]` to close the table header") }
        advance()
        if isArray {
            guard peek == "]" else { throw fail("expected `]]` to close the array-of-tables header") }
            advance()
        }
        let path = key.map(\.0)
        let name = path.joined(separator: ".")
        if isArray {
            try appendArrayTable(path: path, line: l, column: c)
        } else {
            if definedTables.contains(name) { throw fail("table [\(name)] is defined twice", line: l, column: c) }
            definedTables.insert(name)
            try ensureTable(path: path, line: l, column: c)
        }
        currentPath = path
    }

    struct TableConflict: Error { var key: String }

    /// Walks `path` from the root creating tables as needed; the last element of an array of tables is entered.
    mutating func withTable<T>(_ path: [String], line l: Int, column c: Int, _ body: (inout TOMLTable) throws -> T) throws -> T {
        func walk(_ table: inout TOMLTable, _ rest: ArraySlice<String>) throws -> T {
            guard let head = rest.first else { return try body(&table) }
            if let idx = table.entries.firstIndex(where: { $0.key == head }) {
                switch table.entries[idx].node.value {
                case .table(var sub):
                    let result = try walk(&sub, rest.dropFirst())
                    table.entries[idx].node.value = .table(sub)
                    return result
                case .array(var items):
                    guard let last = items.indices.last, case .table(var sub) = items[last].value else {
                        throw TableConflict(key: head)
                    }
                    let result = try walk(&sub, rest.dropFirst())
                    items[last].value = .table(sub)
                    table.entries[idx].node.value = .array(items)
                    return result
                default:
                    throw TableConflict(key: head)
                }
            }
            var sub = TOMLTable()
            sub.implicit = true
            let result = try walk(&sub, rest.dropFirst())
            table.entries.append(.init(key: head, keyLine: l, keyColumn: c, node: TOMLNode(value: .table(sub), line: l, column: c)))
            return result
        }
        var tree = root
        do {
            let result = try walk(&tree, path[...])
            root = tree
            return result
        } catch let conflict as TableConflict {
            throw fail("`\(conflict.key)` is already a value, not a table", line: l, column: c)
        }
    }

    mutating func ensureTable(path: [String], line l: Int, column c: Int) throws {
        try withTable(path, line: l, column: c) { _ in }
    }

    mutating func appendArrayTable(path: [String], line l: Int, column c: Int) throws {
        let parent = Array(path.dropLast())
        let name = path.last!
        var failure: String?
        try withTable(parent, line: l, column: c) { table in
            let element = TOMLNode(value: .table(TOMLTable()), line: l, column: c)
            if let idx = table.entries.firstIndex(where: { $0.key == name }) {
                guard case .array(var items) = table.entries[idx].node.value else {
                    failure = "`\(name)` is already defined and is not an array of tables"
                    return
                }
                items.append(element)
                table.entries[idx].node.value = .array(items)
            } else {
                table.entries.append(.init(key: name, keyLine: l, keyColumn: c, node: TOMLNode(value: .array([element]), line: l, column: c)))
            }
        }
        if let failure { throw fail(failure, line: l, column: c) }
    }

    /// Reads `key = value` into the current table; returns the table's path and the key's name.
    @discardableResult
    mutating func parseKeyValue() throws -> (path: [String], name: String) {
        let key: [(String, Int, Int)]
        do {
            key = try parseKey()
            guard peek == "=" else { throw fail("expected `=` after the key `\(key.map(\.0).joined(separator: "."))`") }
        } catch {
            _ = try? withTable(currentPath, line: line, column: column) { table in table.hasUnreadableLine = true }
            throw error
        }
        advance()
        skipSpaces()
        let path = currentPath + key.dropLast().map(\.0)
        let (name, kl, kc) = key.last!
        let value: TOMLNode
        do { value = try parseValue() } catch {
            _ = try? withTable(path, line: kl, column: kc) { table in _ = table.unreadableKeys.insert(name) }
            throw error
        }
        var duplicate = false
        try withTable(path, line: kl, column: kc) { table in
            if table.entries.contains(where: { $0.key == name }) { duplicate = true; return }
            table.entries.append(.init(key: name, keyLine: kl, keyColumn: kc, node: value))
        }
        if duplicate { throw fail("the key `\(name)` is set twice in this table", line: kl, column: kc) }
        return (path, name)
    }

    mutating func parseValue() throws -> TOMLNode {
        let l = line, c = column
        guard let ch = peek else { throw fail("expected a value after `=`") }
        switch ch {
        case "\"", "'":
            return TOMLNode(value: .string(try parseString()), line: l, column: c)
        case "[":
            return TOMLNode(value: .array(try parseArray()), line: l, column: c)
        case "{":
            return TOMLNode(value: .table(try parseInlineTable()), line: l, column: c)
        default:
            var word = ""
            while let k = peek, !(k == " " || k == "\t" || k == "\n" || k == "\r" || k == "," || k == "]" || k == "}" || k == "#") {
                word.unicodeScalars.append(k); advance()
            }
            if word == "true" { return TOMLNode(value: .bool(true), line: l, column: c) }
            if word == "false" { return TOMLNode(value: .bool(false), line: l, column: c) }
            if word.isEmpty { throw fail("expected a value after `=`", line: l, column: c) }
            if word.count == 10, word.dropFirst(4).first == "-" {
                guard let date = CivilDate(iso: word) else { throw fail("`\(word)` is not a real date (YYYY-MM-DD)", line: l, column: c) }
                return TOMLNode(value: .date(date), line: l, column: c)
            }
            if ManifestReader.parseTime(word) != nil || ManifestReader.parseTime(String(word.prefix(5))) != nil && word.count == 8 {
                throw fail("`\(word)`: write a time as text in double quotes, e.g. \"\(word.prefix(5))\"", line: l, column: c)
            }
            if word.contains(":") || (word.count > 10 && word.dropFirst(4).first == "-") {
                throw fail("`\(word)`: times and date-times are not used in scenario files; write a date as YYYY-MM-DD", line: l, column: c)
            }
            let digits = word.replacingOccurrences(of: "_", with: "")
            if let n = Int(digits) { return TOMLNode(value: .integer(n), line: l, column: c) }
            if let x = Double(digits), x.isFinite, !digits.lowercased().contains("n") {
                return TOMLNode(value: .float(x), line: l, column: c)
            }
            if word.hasPrefix("£") {
                // An amount written with thousands separators (£250,000): read it whole to say how to write it.
                while peek == ",", i + 1 < s.count, ("0"..."9").contains(s[i + 1]) {
                    word.unicodeScalars.append(","); advance()
                    while let k = peek, ("0"..."9").contains(k) || k == "." { word.unicodeScalars.append(k); advance() }
                }
            }
            if let message = TOMLParser.message(forBareWord: word) { throw fail(message, line: l, column: c) }
            throw fail("`\(word)` is not a value; text must be in double quotes, e.g. \"\(word)\"", line: l, column: c)
        }
    }

    /// What a bare word that is not TOML was probably meant to be, written the way scenario files write it:
    /// a date typed as in a spreadsheet (5/1/2026, 2026-1-5) or an amount with a pound sign; nil otherwise.
    static func message(forBareWord word: String) -> String? {
        if let date = CivilDate(spreadsheet: word) { return "`\(word)`: write a date as YYYY-MM-DD, without quotes: \(date)" }
        if word.split(separator: "/", omittingEmptySubsequences: false).count == 3, word.allSatisfy({ $0 == "/" || $0.isNumber }) {
            return "`\(word)` is not a date this file can read; write dates as YYYY-MM-DD, e.g. 2026-01-05"
        }
        let dashed = word.split(separator: "-", omittingEmptySubsequences: false)
            .map { $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) ? Int($0) : nil }
        if dashed.count == 3, let y = dashed[0], let m = dashed[1], let d = dashed[2], y >= 1000 {
            guard let date = CivilDate(year: y, month: m, day: d) else { return "`\(word)` is not a real date (YYYY-MM-DD)" }
            return "`\(word)`: write a date with a two-digit month and day: \(date)"
        }
        if word.hasPrefix("£"), let amount = plainNumber(word) {
            return "`\(word)`: write an amount as a plain number, without £ or commas: \(amount)"
        }
        return nil
    }

    mutating func parseString() throws -> String {
        let quote = peek!
        let l = line, c = column
        advance()
        if peek == quote, i + 1 < s.count, s[i + 1] == quote {
            throw fail("multi-line strings (\"\"\") are not supported; keep the text on one line", line: l, column: c)
        }
        var out = ""
        while true {
            guard let ch = peek, ch != "\n" else { throw fail("this string is never closed; add the closing \(Character(quote))", line: l, column: c) }
            advance()
            if ch == quote { return out }
            if quote == "\"" && ch == "\\" {
                guard let e = peek else { throw fail("unfinished escape sequence") }
                advance()
                switch e {
                case "n": out += "\n"
                case "t": out += "\t"
                case "r": out += "\r"
                case "\"": out += "\""
                case "\\": out += "\\"
                case "u", "U":
                    let count = e == "u" ? 4 : 8
                    var hex = ""
                    for _ in 0..<count { if let h = peek { hex.unicodeScalars.append(h); advance() } }
                    guard let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else { throw fail("`\\\(e)\(hex)` is not a valid unicode escape") }
                    out.unicodeScalars.append(scalar)
                default: throw fail("unknown escape `\\\(Character(e))` in a string; write a backslash as \\\\")
                }
            } else {
                out.unicodeScalars.append(ch)
            }
        }
    }

    mutating func skipBlanksAndComments() {
        while let c = peek {
            if c == " " || c == "\t" || c == "\n" || c == "\r" { advance() }
            else if c == "#" { skipComment() }
            else { break }
        }
    }

    mutating func parseArray() throws -> [TOMLNode] {
        let l = line, c = column
        advance()
        var items: [TOMLNode] = []
        while true {
            skipBlanksAndComments()
            guard let ch = peek else { throw fail("this list is never closed; add `]`", line: l, column: c) }
            if ch == "]" { advance(); return items }
            items.append(try parseValue())
            skipBlanksAndComments()
            if peek == "," { advance(); continue }
            if peek == "]" { advance(); return items }
            throw fail("expected `,` or `]` in the list")
        }
    }

    mutating func parseInlineTable() throws -> TOMLTable {
        advance()
        var table = TOMLTable()
        skipSpaces()
        if peek == "}" { advance(); return table }
        while true {
            let key = try parseKey()
            guard key.count == 1 else { throw fail("dotted keys are not supported inside inline tables") }
            guard peek == "=" else { throw fail("expected `=` after `\(key[0].0)`") }
            advance(); skipSpaces()
            let value = try parseValue()
            if table.entries.contains(where: { $0.key == key[0].0 }) { throw fail("the key `\(key[0].0)` is set twice", line: key[0].1, column: key[0].2) }
            table.entries.append(.init(key: key[0].0, keyLine: key[0].1, keyColumn: key[0].2, node: value))
            skipSpaces()
            if peek == "," { advance(); skipSpaces(); continue }
            if peek == "}" { advance(); return table }
            throw fail("expected `,` or `}` in the inline table")
        }
    }
}
