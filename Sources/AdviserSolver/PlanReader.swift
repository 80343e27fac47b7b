import AdviserModel
import Foundation

/// Reads a plan file in one pass over its bytes, straight into `Plan`. Foundation's JSONDecoder spends
/// about 2 s on a national plan (55 MB, 200,000 visits), most of it in generic containers, and every
/// command that reads a plan paid it. This reader accepts only what JSONDecoder would read to the same
/// value (strict JSON numbers, integers without fraction or exponent, valid UTF-8, no repeated keys,
/// every enum and date readable) and gives up on anything else; `Plan.decode` then asks JSONDecoder,
/// whose errors carry the field path that the command-line messages place at a line and column.
struct PlanReader {
    /// Anything the fast path does not read exactly as JSONDecoder would.
    struct GiveUp: Error {}

    private let bytes: UnsafeBufferPointer<UInt8>
    private var offset = 0

    static func read(_ data: Data) -> Plan? {
        data.withUnsafeBytes { raw in
            var reader = PlanReader(bytes: raw.bindMemory(to: UInt8.self))
            guard let plan = try? reader.plan() else { return nil }
            reader.skipSpace()
            return reader.offset == reader.bytes.count ? plan : nil
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    // MARK: The plan's records

    private mutating func plan() throws -> Plan {
        var format: String?, scenario: Plan.ScenarioReference?, status: Plan.Status?, model: Plan.ModelSize?
        var objective: Double?, bound: Double?, gap: Double?
        var assignments: [Plan.Assignment]?, unmet: [Plan.UnmetNeed]?, visits: [Plan.Visit]?, unplaced: [Plan.UnplacedVisit]?
        var advisers: [Plan.AdviserInfo]?, schools: [Plan.SchoolInfo]?
        try object { reader, key in
            switch key {
            case "format": format = try reader.string()
            case "scenario": scenario = try reader.scenarioReference()
            case "status": status = try reader.rawValue(Plan.Status.self)
            case "objective": objective = try reader.optional { try $0.double() }
            case "bound": bound = try reader.optional { try $0.double() }
            case "gap": gap = try reader.optional { try $0.double() }
            case "model": model = try reader.modelSize()
            case "assignments": assignments = try reader.array { try $0.assignment() }
            case "unmet": unmet = try reader.optional { try $0.array { try $0.unmetNeed() } }
            case "visits": visits = try reader.optional { try $0.array { try $0.visit() } }
            case "unplaced": unplaced = try reader.optional { try $0.array { try $0.unplacedVisit() } }
            case "advisers": advisers = try reader.optional { try $0.array { try $0.adviserInfo() } }
            case "schools": schools = try reader.optional { try $0.array { try $0.schoolInfo() } }
            default: try reader.skipValue()
            }
        }
        guard let format, format.hasPrefix(Plan.formatName), let scenario, let status, let model, let assignments else { throw GiveUp() }
        var plan = Plan(scenario: scenario, status: status, objective: objective, bound: bound, gap: gap, model: model,
                        assignments: assignments, unmet: unmet ?? [], visits: visits ?? [], unplaced: unplaced ?? [],
                        advisers: advisers ?? [], schools: schools ?? [])
        plan.format = format
        return plan
    }

    private mutating func scenarioReference() throws -> Plan.ScenarioReference {
        var name: String?, fingerprint: String?, start: CivilDate?, end: CivilDate?, budget: Double?
        try object { reader, key in
            switch key {
            case "name": name = try reader.string()
            case "fingerprint": fingerprint = try reader.string()
            case "start": start = try reader.optional { try $0.date() }
            case "end": end = try reader.optional { try $0.date() }
            case "budget": budget = try reader.optional { try $0.double() }
            default: try reader.skipValue()
            }
        }
        guard let name, let fingerprint else { throw GiveUp() }
        return Plan.ScenarioReference(name: name, fingerprint: fingerprint, start: start, end: end, budget: budget)
    }

    private mutating func modelSize() throws -> Plan.ModelSize {
        var variables: Int?, integerVariables: Int?, constraints: Int?, nonzeros: Int?, candidateAdvisers: Int?
        try object { reader, key in
            switch key {
            case "variables": variables = try reader.int()
            case "integer_variables": integerVariables = try reader.int()
            case "constraints": constraints = try reader.int()
            case "nonzeros": nonzeros = try reader.int()
            case "candidate_advisers": candidateAdvisers = try reader.optional { try $0.int() }
            default: try reader.skipValue()
            }
        }
        guard let variables, let integerVariables, let constraints, let nonzeros else { throw GiveUp() }
        return Plan.ModelSize(variables: variables, integerVariables: integerVariables, constraints: constraints, nonzeros: nonzeros,
                              candidateAdvisers: candidateAdvisers)
    }

    private mutating func assignment() throws -> Plan.Assignment {
        var adviser: String?, school: String?, role: AssignmentRole?, days: [String: Double]?
        var leadDays: Double?, travelMinutes: Double?, capacityDays: Double?, cost: Double?
        try object { reader, key in
            switch key {
            case "adviser": adviser = try reader.string()
            case "school": school = try reader.string()
            case "role": role = try reader.rawValue(AssignmentRole.self)
            case "days":
                var areas: [String: Double] = [:]
                try reader.object { reader, area in areas[area] = try reader.double() }
                days = areas
            case "lead_days": leadDays = try reader.double()
            case "travel_minutes": travelMinutes = try reader.double()
            case "capacity_days": capacityDays = try reader.double()
            case "cost": cost = try reader.double()
            default: try reader.skipValue()
            }
        }
        guard let adviser, let school, let role, let days, let leadDays, let travelMinutes, let capacityDays, let cost else { throw GiveUp() }
        return Plan.Assignment(adviser: adviser, school: school, role: role, days: days, leadDays: leadDays, travelMinutes: travelMinutes,
                               capacityDays: capacityDays, cost: cost)
    }

    private mutating func unmetNeed() throws -> Plan.UnmetNeed {
        var school: String?, area: String?, days: Double?, priority: Int?, reason: Plan.UnmetReason?, detail: String?
        try object { reader, key in
            switch key {
            case "school": school = try reader.string()
            case "area": area = try reader.string()
            case "days": days = try reader.double()
            case "priority": priority = try reader.int()
            case "reason": reason = try reader.rawValue(Plan.UnmetReason.self)
            case "detail": detail = try reader.string()
            default: try reader.skipValue()
            }
        }
        guard let school, let area, let days, let priority, let reason, let detail else { throw GiveUp() }
        return Plan.UnmetNeed(school: school, area: area, days: days, priority: priority, reason: reason, detail: detail)
    }

    private mutating func visit() throws -> Plan.Visit {
        var adviser: String?, school: String?, date: CivilDate?, start: String?, end: String?, areas: [String]?
        try object { reader, key in
            switch key {
            case "adviser": adviser = try reader.string()
            case "school": school = try reader.string()
            case "date": date = try reader.date()
            case "start": start = try reader.string()
            case "end": end = try reader.string()
            case "areas": areas = try reader.array { try $0.string() }
            default: try reader.skipValue()
            }
        }
        guard let adviser, let school, let date, let start, let end, let areas else { throw GiveUp() }
        return Plan.Visit(adviser: adviser, school: school, date: date, start: start, end: end, areas: areas)
    }

    private mutating func unplacedVisit() throws -> Plan.UnplacedVisit {
        var adviser: String?, school: String?, count: Int?, reason: String?
        try object { reader, key in
            switch key {
            case "adviser": adviser = try reader.string()
            case "school": school = try reader.string()
            case "count": count = try reader.int()
            case "reason": reason = try reader.string()
            default: try reader.skipValue()
            }
        }
        guard let adviser, let school, let count, let reason else { throw GiveUp() }
        return Plan.UnplacedVisit(adviser: adviser, school: school, count: count, reason: reason)
    }

    private mutating func adviserInfo() throws -> Plan.AdviserInfo {
        var id: String?, name: String?, role: String?, capacityDays: Double?, maxSchools: Int?, dayRate: Double?
        var homeLatitude: Double?, homeLongitude: Double?
        try object { reader, key in
            switch key {
            case "id": id = try reader.string()
            case "name": name = try reader.string()
            case "role": role = try reader.string()
            case "capacity_days": capacityDays = try reader.double()
            case "max_schools": maxSchools = try reader.int()
            case "day_rate": dayRate = try reader.double()
            case "home_latitude": homeLatitude = try reader.optional { try $0.double() }
            case "home_longitude": homeLongitude = try reader.optional { try $0.double() }
            default: try reader.skipValue()
            }
        }
        guard let id, let name, let role, let capacityDays, let maxSchools, let dayRate else { throw GiveUp() }
        return Plan.AdviserInfo(id: id, name: name, role: role, capacityDays: capacityDays, maxSchools: maxSchools, dayRate: dayRate,
                                homeLatitude: homeLatitude, homeLongitude: homeLongitude)
    }

    private mutating func schoolInfo() throws -> Plan.SchoolInfo {
        var id: String?, name: String?, phase: Phase?, localAuthority: String?, disadvantagedPct: Double?
        var latitude: Double?, longitude: Double?
        try object { reader, key in
            switch key {
            case "id": id = try reader.string()
            case "name": name = try reader.string()
            case "phase": phase = try reader.rawValue(Phase.self)
            case "local_authority": localAuthority = try reader.string()
            case "disadvantaged_pct": disadvantagedPct = try reader.double()
            case "latitude": latitude = try reader.optional { try $0.double() }
            case "longitude": longitude = try reader.optional { try $0.double() }
            default: try reader.skipValue()
            }
        }
        guard let id, let name, let phase, let localAuthority, let disadvantagedPct else { throw GiveUp() }
        return Plan.SchoolInfo(id: id, name: name, phase: phase, localAuthority: localAuthority, disadvantagedPct: disadvantagedPct,
                               latitude: latitude, longitude: longitude)
    }

    // MARK: JSON values

    private static let quote: UInt8 = 0x22, backslash: UInt8 = 0x5C, comma: UInt8 = 0x2C, colon: UInt8 = 0x3A
    private static let openBrace: UInt8 = 0x7B, closeBrace: UInt8 = 0x7D, openBracket: UInt8 = 0x5B, closeBracket: UInt8 = 0x5D

    private mutating func skipSpace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    /// The next significant byte, after white space.
    private mutating func peek() throws -> UInt8 {
        skipSpace()
        guard offset < bytes.count else { throw GiveUp() }
        return bytes[offset]
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard try peek() == byte else { throw GiveUp() }
        offset += 1
    }

    /// Calls `member` for each key of an object, positioned at its value; a key seen twice gives up
    /// (which of the two JSONDecoder keeps is its business).
    private mutating func object(_ member: (inout PlanReader, String) throws -> Void) throws {
        try expect(Self.openBrace)
        if try peek() == Self.closeBrace { offset += 1; return }
        var keys: [String] = []
        while true {
            guard try peek() == Self.quote else { throw GiveUp() }
            let key = try string()
            if keys.contains(key) { throw GiveUp() }
            keys.append(key)
            try expect(Self.colon)
            try member(&self, key)
            switch try peek() {
            case Self.comma: offset += 1
            case Self.closeBrace: offset += 1; return
            default: throw GiveUp()
            }
        }
    }

    private mutating func array<Element>(_ element: (inout PlanReader) throws -> Element) throws -> [Element] {
        try expect(Self.openBracket)
        var elements: [Element] = []
        if try peek() == Self.closeBracket { offset += 1; return elements }
        while true {
            elements.append(try element(&self))
            switch try peek() {
            case Self.comma: offset += 1
            case Self.closeBracket: offset += 1; return elements
            default: throw GiveUp()
            }
        }
    }

    /// nil for JSON `null`, else the value `read` reads (as `decodeIfPresent` does).
    private mutating func optional<Value>(_ read: (inout PlanReader) throws -> Value) throws -> Value? {
        if try peek() == 0x6E { try literal("null"); return nil }
        return try read(&self)
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count else { throw GiveUp() }
        for i in 0..<count where bytes[offset + i] != word.utf8Start[i] { throw GiveUp() }
        offset += count
    }

    private mutating func rawValue<Value: RawRepresentable>(_: Value.Type) throws -> Value where Value.RawValue == String {
        guard let value = Value(rawValue: try string()) else { throw GiveUp() }
        return value
    }

    /// A date as `CivilDate(iso:)` reads it; `YYYY-MM-DD` in plain digits, as every plan writes it, is read
    /// from its bytes without making a string.
    private mutating func date() throws -> CivilDate {
        let start = offset
        if try peek() == Self.quote, offset + 12 <= bytes.count, bytes[offset + 11] == Self.quote,
           bytes[offset + 5] == 0x2D, bytes[offset + 8] == 0x2D {
            func number(_ from: Int, _ count: Int) -> Int? {
                var value = 0
                for i in from..<(from + count) {
                    guard (0x30...0x39).contains(bytes[i]) else { return nil }
                    value = value * 10 + Int(bytes[i] - 0x30)
                }
                return value
            }
            if let year = number(offset + 1, 4), let month = number(offset + 6, 2), let day = number(offset + 9, 2) {
                guard let date = CivilDate(year: year, month: month, day: day) else { throw GiveUp() }
                offset += 12
                return date
            }
        }
        offset = start
        guard let date = CivilDate(iso: try string()) else { throw GiveUp() }
        return date
    }

    private mutating func string() throws -> String {
        try expect(Self.quote)
        let start = offset
        var ascii = true
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == Self.quote {
                let content = UnsafeBufferPointer(rebasing: bytes[start..<offset])
                offset += 1
                // ASCII needs no checking, and String(validating:) costs more than the rest of the reading.
                if ascii { return String(decoding: content, as: UTF8.self) }
                guard let text = String(validating: content, as: UTF8.self) else { throw GiveUp() }
                return text
            }
            if byte == Self.backslash || byte < 0x20 { break }
            if byte >= 0x80 { ascii = false }
            offset += 1
        }
        return try escapedString(from: start)
    }

    /// The rest of a string that holds an escape, read byte by byte.
    private mutating func escapedString(from start: Int) throws -> String {
        var text = Array(UnsafeBufferPointer(rebasing: bytes[start..<offset]))
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            switch byte {
            case Self.quote:
                guard let string = String(validating: text, as: UTF8.self) else { throw GiveUp() }
                return string
            case Self.backslash:
                guard offset < bytes.count else { throw GiveUp() }
                let escape = bytes[offset]
                offset += 1
                switch escape {
                case Self.quote, Self.backslash, 0x2F: text.append(escape)
                case 0x62: text.append(0x08)  // \b
                case 0x66: text.append(0x0C)  // \f
                case 0x6E: text.append(0x0A)  // \n
                case 0x72: text.append(0x0D)  // \r
                case 0x74: text.append(0x09)  // \t
                case 0x75:  // \uXXXX, a surrogate pair as two of them
                    var scalar = try hexQuad()
                    if (0xD800...0xDBFF).contains(scalar) {
                        try literal("\\u")
                        let low = try hexQuad()
                        guard (0xDC00...0xDFFF).contains(low) else { throw GiveUp() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw GiveUp() }
                    text.append(contentsOf: String(unicode).utf8)
                default: throw GiveUp()
                }
            default:
                guard byte >= 0x20 else { throw GiveUp() }
                text.append(byte)
            }
        }
        throw GiveUp()
    }

    private mutating func hexQuad() throws -> UInt32 {
        guard offset + 4 <= bytes.count else { throw GiveUp() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            offset += 1
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: throw GiveUp()
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// The bytes of a JSON number, checked against JSON's grammar; `integral` when it has neither
    /// fraction nor exponent.
    private mutating func numberText() throws -> (text: String, integral: Bool) {
        _ = try peek()
        let start = offset
        func digits(_ reader: inout PlanReader) -> Int {
            let first = reader.offset
            while reader.offset < reader.bytes.count, (0x30...0x39).contains(reader.bytes[reader.offset]) { reader.offset += 1 }
            return reader.offset - first
        }
        func at(_ byte: UInt8, _ reader: PlanReader) -> Bool { reader.offset < reader.bytes.count && reader.bytes[reader.offset] == byte }
        if at(0x2D, self) { offset += 1 }
        let leading = offset
        let whole = digits(&self)
        guard whole > 0, whole == 1 || bytes[leading] != 0x30 else { throw GiveUp() }
        var integral = true
        if at(0x2E, self) {
            offset += 1
            integral = false
            guard digits(&self) > 0 else { throw GiveUp() }
        }
        if at(0x65, self) || at(0x45, self) {
            offset += 1
            integral = false
            if at(0x2B, self) || at(0x2D, self) { offset += 1 }
            guard digits(&self) > 0 else { throw GiveUp() }
        }
        return (String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self), integral)
    }

    private mutating func double() throws -> Double {
        guard let value = Double(try numberText().text), value.isFinite else { throw GiveUp() }
        return value
    }

    private mutating func int() throws -> Int {
        let (text, integral) = try numberText()
        guard integral, let value = Int(text) else { throw GiveUp() }
        return value
    }

    /// Steps over a value of any kind, checking that it is JSON. Nesting deeper than any plan has gives up,
    /// so that a hostile file cannot exhaust the stack (JSONDecoder stops at 512 levels with an error).
    private mutating func skipValue(depth: Int = 0) throws {
        guard depth < 100 else { throw GiveUp() }
        switch try peek() {
        case Self.openBrace: try object { reader, _ in try reader.skipValue(depth: depth + 1) }
        case Self.openBracket: _ = try array { try $0.skipValue(depth: depth + 1) }
        case Self.quote: _ = try string()
        case 0x74: try literal("true")
        case 0x66: try literal("false")
        case 0x6E: try literal("null")
        default: _ = try numberText()
        }
    }
}
