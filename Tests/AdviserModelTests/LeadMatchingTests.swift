import Testing
@testable import AdviserModel

struct LeadMatchingTests {
    /// S0 may be led by A0 or A1, S1 and S2 only by A1 or A2, each with one place. Taken greedily in file order
    /// S0 takes A1, S1 takes A2 and S2 is left; the alternating path S2 -> A1 -> S0 -> A0 moves S0 to A0.
    @Test func anAlternatingPathMakesRoom() {
        let matching = LeadMatching(options: [[1, 0], [1, 2], [1, 2]], places: [1, 1, 1])
        #expect(matching.everySchoolLed)
        #expect(matching.leadOf == [0, 2, 1])
    }

    /// Three schools that only A0 and A1 may lead, one place each, and a fourth school of A2's: the group of three
    /// is named, and A2 (with room to spare) is not in it.
    @Test func aGroupShortOfPlacesIsNamed() {
        let matching = LeadMatching(options: [[0, 1], [0, 1], [0], [2]], places: [1, 1, 3])
        #expect(!matching.everySchoolLed)
        #expect(matching.shortfalls == [LeadMatching.Shortfall(schools: [0, 1, 2], advisers: [0, 1], places: 2)])
        #expect(matching.leadOf.filter { $0 == nil }.count == 1)
        #expect(matching.leadOf[3] == 2)
    }

    /// Two unled schools whose searches reach the same full adviser make one group, short by two; a school that
    /// nobody may lead is a group of its own, with no advisers.
    @Test func searchesThatMeetMakeOneGroup() {
        let matching = LeadMatching(options: [[0], [0], [0], [], [1]], places: [1, 2])
        #expect(matching.shortfalls == [
            LeadMatching.Shortfall(schools: [0, 1, 2], advisers: [0], places: 1),
            LeadMatching.Shortfall(schools: [3], advisers: [], places: 0),
        ])
    }

    /// Against every assignment of leads, on random small instances: the same answer to "can every school be led",
    /// a matching that keeps to the options and places, and groups that really are short (every option of their
    /// schools among their advisers, more schools than places, short by exactly the schools left unled).
    @Test func agreesWithEveryAssignment() {
        var rng = SplitMix64(seed: 11, stream: 1)
        for instance in 0..<400 {
            let schools = rng.int(1...6), advisers = rng.int(1...4)
            let places = (0..<advisers).map { _ in rng.int(0...2) }
            let options = (0..<schools).map { _ in (0..<advisers).filter { _ in rng.chance(0.45) } }
            let matching = LeadMatching(options: options, places: places)
            #expect(matching.everySchoolLed == Self.everySchoolCanBeLed(options, places, from: 0, used: places.map { _ in 0 }),
                    "instance \(instance): \(options) \(places)")
            var used = places.map { _ in 0 }
            for (school, lead) in matching.leadOf.enumerated() {
                guard let lead else { continue }
                #expect(options[school].contains(lead))
                used[lead] += 1
            }
            #expect(zip(used, places).allSatisfy { $0 <= $1 })
            var unled = 0
            for shortfall in matching.shortfalls {
                #expect(shortfall.schools.count > shortfall.places)
                #expect(shortfall.places == shortfall.advisers.reduce(0) { $0 + places[$1] })
                for school in shortfall.schools { #expect(Set(options[school]).isSubset(of: shortfall.advisers)) }
                unled += shortfall.schools.count - shortfall.places
            }
            #expect(unled == matching.leadOf.filter { $0 == nil }.count, "instance \(instance): \(options) \(places)")
            // The most schools led at once: no assignment leads more.
            #expect(matching.leadOf.compactMap { $0 }.count == Self.mostLed(options, places, from: 0, used: places.map { _ in 0 }))
        }
    }

    /// A0 (£100 a lead, one place) may lead S0 or S1; A1 (£300) may lead S0 only; A2 (£200) may lead S1 only.
    /// Each school at its cheapest would be A0 twice (£200), but A0 has one place: A0 leads S0 and A2 leads S1
    /// (£300), not A0 S1 and A1 S0 (£400). Taken first, A0 leads S0; A1's place is never needed.
    @Test func theCheapestLeadsTogetherRespectThePlaces() throws {
        let cheapest = try #require(LeadMatching.cheapestLeads(options: [[0, 1], [0, 2]], places: [1, 1, 1], costOfLead: [100, 300, 200]))
        #expect(cheapest.cost == 300)
        #expect(cheapest.leadOf == [0, 2])
        // A0 (£100, one place) takes the first school it may lead, S0; A1 (£200) may lead only S0, so takes it
        // by an alternating path that moves A0 to S1.
        let moved = try #require(LeadMatching.cheapestLeads(options: [[0, 1], [0]], places: [1, 1], costOfLead: [100, 200]))
        #expect(moved.cost == 300)
        #expect(moved.leadOf == [1, 0])
        #expect(LeadMatching.cheapestLeads(options: [[0], [0]], places: [1], costOfLead: [100]) == nil)
    }

    /// Against every assignment of leads, on random small instances: the least total cost of leading every
    /// school within the places, nil exactly when no assignment leads them all, and leads that keep to the
    /// options and places and cost what is reported.
    @Test func theCheapestLeadsAgreeWithEveryAssignment() {
        var rng = SplitMix64(seed: 12, stream: 1)
        var differs = 0
        for instance in 0..<400 {
            let schools = rng.int(1...6), advisers = rng.int(1...4)
            let places = (0..<advisers).map { _ in rng.int(0...3) }
            let options = (0..<schools).map { _ in (0..<advisers).filter { _ in rng.chance(0.55) } }
            let costs = (0..<advisers).map { _ in Double(rng.int(1...5) * 100) }
            let found = LeadMatching.cheapestLeads(options: options, places: places, costOfLead: costs)
            let best = Self.cheapestCost(options, places, costs, from: 0, used: places.map { _ in 0 })
            #expect(found?.cost == best, "instance \(instance): \(options) \(places) \(costs)")
            guard let found else { continue }
            var used = places.map { _ in 0 }
            for (school, lead) in found.leadOf.enumerated() {
                #expect(options[school].contains(lead))
                used[lead] += 1
            }
            #expect(zip(used, places).allSatisfy { $0 <= $1 })
            #expect(found.leadOf.reduce(0) { $0 + costs[$1] } == found.cost)
            // Instances where each school's cheapest option alone is not enough: the case the matching is for.
            let eachAtItsCheapest = options.map { $0.map { costs[$0] }.min()! }.reduce(0, +)
            if eachAtItsCheapest < found.cost { differs += 1 }
        }
        #expect(differs > 20)
    }

    static func cheapestCost(_ options: [[Int]], _ places: [Int], _ costs: [Double], from school: Int, used: [Int]) -> Double? {
        guard school < options.count else { return 0 }
        var best: Double? = nil
        for adviser in options[school] where used[adviser] < places[adviser] {
            var next = used
            next[adviser] += 1
            if let rest = cheapestCost(options, places, costs, from: school + 1, used: next) { best = min(best ?? .infinity, costs[adviser] + rest) }
        }
        return best
    }

    static func everySchoolCanBeLed(_ options: [[Int]], _ places: [Int], from school: Int, used: [Int]) -> Bool {
        mostLed(options, places, from: school, used: used) == options.count - school
    }

    static func mostLed(_ options: [[Int]], _ places: [Int], from school: Int, used: [Int]) -> Int {
        guard school < options.count else { return 0 }
        var best = mostLed(options, places, from: school + 1, used: used)
        for adviser in options[school] where used[adviser] < places[adviser] {
            var next = used
            next[adviser] += 1
            best = max(best, 1 + mostLed(options, places, from: school + 1, used: next))
        }
        return best
    }
}
