import KioskCore
import Testing

/// A citizen who chose English must never meet a Vietnamese-only screen, and the reverse.
@Suite struct PromptCatalogTests {
    @Test(arguments: PromptKey.allCases)
    func everyPromptHasEveryLanguage(key: PromptKey) {
        for language in Language.allCases {
            let text = PromptCatalog.texts[key]?[language]
            #expect(text != nil && !text!.isEmpty, "prompt \(key.rawValue) lacks \(language.rawValue)")
        }
    }

    @Test func vietnameseAndEnglishTextsDiffer() {
        for key in PromptKey.allCases {
            #expect(PromptCatalog.text(key, in: .vietnamese) != PromptCatalog.text(key, in: .english),
                    "prompt \(key.rawValue) is not translated")
        }
    }
}
