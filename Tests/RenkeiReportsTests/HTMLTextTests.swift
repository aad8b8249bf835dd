import Testing

@testable import RenkeiReports

@Suite struct HTMLTextTests {
  @Test func markupInATitleIsEscaped() {
    #expect(HTMLText.escape(#"<script>"研修" & 'x'</script>"#) == "&lt;script&gt;&quot;研修&quot; &amp; &#39;x&#39;&lt;/script&gt;")
  }
}
