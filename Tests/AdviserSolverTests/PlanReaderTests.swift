import AdviserModel
import Foundation
import Testing
@testable import AdviserSolver

/// The fast plan reader gives exactly what JSONDecoder gives, and leaves to it every file it cannot read
/// the same way (whose errors the command line places at a line and column).
@Suite struct PlanReaderTests {
    /// A plan with every field, names that need escapes or are not ASCII, and a scheduled visit.
    static func fullPlan() -> Plan {
        var plan = Plan(
            scenario: .init(name: "Ysgol \"Gymraeg\" — Pen-y-bont\\2026", fingerprint: "sha256:0f1e", start: CivilDate(iso: "2026-09-01"),
                            end: CivilDate(iso: "2027-07-21"), budget: 125_000.5),
            status: .timeLimit, objective: -83_409.61, bound: -70_423.000001, gap: 0.155,
            model: .init(variables: 1_234, integerVariables: 456, constraints: 789, nonzeros: 10_111, candidateAdvisers: 10),
            assignments: [
                .init(adviser: "A1", school: "100001", role: .lead, days: ["literacy": 3, "maths": 1.5, "send": 0.25], leadDays: 2,
                      travelMinutes: 22.4, capacityDays: 6.9, cost: 3_250),
                .init(adviser: "A2", school: "100002", role: .specialist, days: [:], leadDays: 0, travelMinutes: 0, capacityDays: 0, cost: 0),
            ],
            unmet: [.init(school: "100002", area: "maths", days: 2, priority: 1, reason: .capacityExhausted, detail: "A1 has 0.5 days left\n")],
            visits: [
                .init(adviser: "A1", school: "100001", date: CivilDate(iso: "2026-09-07")!, start: "09:00", end: "12:00", areas: ["literacy", "maths"]),
                .init(adviser: "A1", school: "100001", date: CivilDate(iso: "2028-02-29")!, start: "13:00", end: "16:00", areas: []),
            ],
            unplaced: [.init(adviser: "A2", school: "100002", count: 3, reason: "no common day\t(closures)")],
            advisers: [
                .init(id: "A1", name: "Siân Évans 🏫", role: "former HMI", capacityDays: 10, maxSchools: 3, dayRate: 500,
                      homeLatitude: 53.4102, homeLongitude: -2.8453),
                .init(id: "A2", name: "Bob \u{1} Best", role: "", capacityDays: 5, maxSchools: 2, dayRate: 612.5),
            ],
            schools: [
                .init(id: "100001", name: "St Aidan's C of E Primary, Huyton", phase: .allThrough, localAuthority: "Knowsley",
                      disadvantagedPct: 48, latitude: 53.41, longitude: -2.84),
                .init(id: "100002", name: "Kirkby \"Hill\" Academy", phase: .alternativeProvision, localAuthority: "Rhondda Cynon Taf",
                      disadvantagedPct: 31.5),
            ])
        plan.format = "adviser-planner plan 1"
        return plan
    }

    static func text(_ json: String) -> Data { Data(json.utf8) }

    /// What JSONDecoder alone makes of the text, for comparison.
    static func foundation(_ data: Data) -> Plan? { try? JSONDecoder().decode(Plan.self, from: data) }

    @Test func readsEveryFieldAsJSONDecoderDoes() throws {
        let data = try Self.fullPlan().jsonData()
        let fast = try #require(PlanReader.read(data))
        #expect(fast == Self.foundation(data))
        #expect(fast == Self.fullPlan().rounded())
        #expect(fast.adviser("A2")?.name == "Bob \u{1} Best")
        #expect(fast.school("100002")?.latitude == nil)
        #expect(try fast.jsonData() == data)
    }

    @Test func readsCompactJSONWithEscapesNullsAndUnknownFields() throws {
        // Written by hand as another tool might: no spaces, escapes JSONEncoder does not use, nulls for
        // optional figures, numbers with exponents, a field this version does not know.
        let json = #"""
        {"format":"adviser-planner plan 1","scenario":{"name":"A\/B \u00e9\ud83c\udfeb","fingerprint":"x","start":null,"budget":1.5e3},
        "status":"optimal","objective":-1E-2,"bound":null,"model":{"variables":3,"integer_variables":2,"constraints":1,"nonzeros":-0,
        "candidate_advisers":null},"assignments":[{"adviser":"A","school":"S","role":"lead","days":{"x":0.5},"lead_days":1,
        "travel_minutes":0,"capacity_days":1.5,"cost":250.125,"note":{"deep":[1,true,false,null,"s"]}}],"unmet":null,
        "visits":[],"extra":[[],{}]}
        """#
        let data = Self.text(json)
        let fast = try #require(PlanReader.read(data))
        #expect(fast == Self.foundation(data))
        #expect(fast.scenario.name == "A/B é🏫")
        #expect(fast.scenario.budget == 1_500)
        #expect(fast.objective == -0.01)
        #expect(fast.bound == nil && fast.gap == nil && fast.scenario.start == nil)
        #expect(fast.unmet.isEmpty && fast.advisers.isEmpty)
    }

    /// Each of these is either not JSON, not a plan, or JSON whose reading is JSONDecoder's to decide: the
    /// fast reader declines, and `Plan.decode` answers as JSONDecoder does.
    @Test(arguments: [
        #"{"format":"adviser-planner plan 1","format":"adviser-planner plan 1"}"#,  // a key twice
        #"{"format":"something else","scenario":{"name":"n","fingerprint":"f"},"status":"optimal","model":{"variables":1,"integer_variables":1,"constraints":1,"nonzeros":1},"assignments":[]}"#,
        #"{"format":"adviser-planner plan 1","scenario":{"name":"n","fingerprint":"f"},"status":"optimal","model":{"variables":1.0,"integer_variables":1,"constraints":1,"nonzeros":1},"assignments":[]}"#,
        #"{"format":"adviser-planner plan 1","scenario":{"name":"n","fingerprint":"f"},"status":"solved","model":{"variables":1,"integer_variables":1,"constraints":1,"nonzeros":1},"assignments":[]}"#,
        #"{"format":"adviser-planner plan 1","scenario":{"name":"n","fingerprint":"f","start":"2027-02-30"},"status":"optimal","model":{"variables":1,"integer_variables":1,"constraints":1,"nonzeros":1},"assignments":[]}"#,
        #"{"format":"adviser-planner plan 1","scenario":{"name":"n","fingerprint":"f"},"status":"optimal","model":{"variables":1,"integer_variables":1,"constraints":1,"nonzeros":1},"assignments":null}"#,
        #"{"format":"adviser-planner plan 1","scenario":{"name":"n","fingerprint":"f"},"status":"optimal","model":{"variables":1,"integer_variables":1,"constraints":1,"nonzeros":1}}"#,
        #"{"format":"adviser-planner plan 1","scenario":{"name":"\ud800","fingerprint":"f"},"status":"optimal","model":{"variables":1,"integer_variables":1,"constraints":1,"nonzeros":1},"assignments":[]}"#,
        #"{"format":"adviser-planner plan 1","scenario":{"name":"n","fingerprint":"f","budget":01},"status":"optimal","model":{"variables":1,"integer_variables":1,"constraints":1,"nonzeros":1},"assignments":[]}"#,
        #"{"format":"adviser-planner plan 1","scenario":{"name":"n","fingerprint":"f","budget":1e999},"status":"optimal","model":{"variables":1,"integer_variables":1,"constraints":1,"nonzeros":1},"assignments":[]}"#,
        #"{"format":"adviser-planner plan 1","scenario":{"name":"n","fingerprint":"f"},"status":"optimal","model":{"variables":1,"integer_variables":1,"constraints":1,"nonzeros":1},"assignments":[]} x"#,
        #"{"format":"adviser-planner plan 1","scenario":{"name":"n","fingerprint":"f"},"status":"optimal","model":{"variables":1,"integer_variables":1,"constraints":1,"nonzeros":1},"assignments":[],}"#,
        "{\"format\":\"adviser-planner plan 1\",\"scenario\":{\"name\":\"tab\there\",\"fingerprint\":\"f\"}}",
        "[1, 2]",
        "",
    ])
    func leavesWhatItCannotReadExactlyToJSONDecoder(json: String) {
        let data = Self.text(json)
        #expect(PlanReader.read(data) == nil)
        #expect((try? Plan.decode(from: data)) == Self.foundation(data))
    }

    @Test func invalidUTF8IsLeftToJSONDecoder() {
        var bytes = Array(#"{"format":"adviser-planner plan 1","scenario":{"name":"#.utf8)
        bytes += [0x22, 0xC3, 0x28, 0x22]  // a broken two-byte sequence inside the name
        bytes += Array(#","fingerprint":"f"},"status":"optimal","model":{"variables":1,"integer_variables":1,"constraints":1,"nonzeros":1},"assignments":[]}"#.utf8)
        #expect(PlanReader.read(Data(bytes)) == nil)
    }

    /// An unknown field nested a million deep is declined, not followed down until the stack runs out.
    @Test func deepNestingIsDeclinedNotFollowed() {
        let depth = 1_000_000
        let json = #"{"format":"adviser-planner plan 1","x":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        #expect(PlanReader.read(Self.text(json)) == nil)
    }

    /// Ten thousand damaged copies of a plan file (a byte replaced by one that matters to JSON, a byte
    /// dropped, a stretch repeated): whenever the fast reader reads one, JSONDecoder reads the same plan.
    @Test func neverDisagreesWithJSONDecoderOnDamagedFiles() throws {
        let original = Array(try Self.fullPlan().jsonData())
        let alphabet = Array(#""\{}[],:01.eE-+ nu/tf"#.utf8) + [0x0A, 0x01, 0xC3, 0xA9, 0x80]
        var random = SplitMix64(seed: 20261205)
        var read = 0, disagreements: [String] = []
        for _ in 0..<10_000 {
            var bytes = original
            for _ in 0...random.int(0...2) {
                let at = random.int(0...(bytes.count - 1))
                switch random.int(0...2) {
                case 0: bytes[at] = alphabet[random.int(0...(alphabet.count - 1))]
                case 1: bytes.remove(at: at)
                default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + random.int(1...12))], at: at)
                }
            }
            let data = Data(bytes)
            guard let fast = PlanReader.read(data) else { continue }
            read += 1
            if fast != Self.foundation(data) { disagreements.append(String(decoding: bytes, as: UTF8.self)) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(3))")
        #expect(read > 1_000)  // the comparison has something to compare
    }

    /// A plan the solver wrote, with its dated visits, reads back to the same plan by either reader.
    @Test func aSolvedAndScheduledPlanReadsBackTheSame() throws {
        let scenario = try BundledScenarioTests.load("six-school-trust")
        var plan = try Planner.plan(scenario).plan
        plan.describe(scenario)
        let data = try plan.jsonData()
        let fast = try #require(PlanReader.read(data))
        #expect(!fast.visits.isEmpty)
        #expect(fast == Self.foundation(data))
        #expect(try fast.jsonData() == data)
    }
}
