namespace ImagingRepo.Service.Catalogue;

/// <summary>
/// The namespaces and terms of the DCAT-AP descriptions: W3C DCAT, Dublin Core terms, DCAT-AP's own namespace,
/// HealthDCAT-AP (<c>http://healthdataportal.eu/ns/health#</c>, the namespace of HealthDCAT-AP's published SHACL shapes),
/// ADMS, vCard, FOAF, Hydra for paging, and the EUCAIM terms of the EUCAIM DCAT Application Profile v2.0
/// (github.com/EUCAIM/eucaim_dcat_ap, releases/v2.0/Dataset.md; its Turtle examples declare
/// <c>eucaim: &lt;https://hyperontology.eucaim.cancerimage.eu/#&gt;</c>).
/// </summary>
internal static class Vocabulary
{
    public const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    public const string Rdfs = "http://www.w3.org/2000/01/rdf-schema#";
    public const string Xsd = "http://www.w3.org/2001/XMLSchema#";
    public const string Dcat = "http://www.w3.org/ns/dcat#";
    public const string Dct = "http://purl.org/dc/terms/";
    public const string DcatAp = "http://data.europa.eu/r5r/";
    public const string HealthDcatAp = "http://healthdataportal.eu/ns/health#";
    public const string Adms = "http://www.w3.org/ns/adms#";
    public const string Skos = "http://www.w3.org/2004/02/skos/core#";
    public const string Foaf = "http://xmlns.com/foaf/0.1/";
    public const string Vcard = "http://www.w3.org/2006/vcard/ns#";
    public const string Hydra = "http://www.w3.org/ns/hydra/core#";
    public const string EucaimTerms = "https://hyperontology.eucaim.cancerimage.eu/#";

    public static IReadOnlyList<(string Prefix, string Namespace)> Prefixes { get; } =
    [
        ("rdf", Rdf), ("rdfs", Rdfs), ("xsd", Xsd), ("dcat", Dcat), ("dct", Dct), ("dcatap", DcatAp), ("healthdcatap", HealthDcatAp),
        ("adms", Adms), ("skos", Skos), ("foaf", Foaf), ("vcard", Vcard), ("hydra", Hydra), ("eucaim", EucaimTerms),
    ];

    public const string RdfType = Rdf + "type";

    // Values from the EU vocabularies.
    public const string AccessRightRestricted = "http://publications.europa.eu/resource/authority/access-right/RESTRICTED";
    public const string ThemeHealth = "http://publications.europa.eu/resource/authority/data-theme/HEAL";

    /// <summary>The European Health Data Space regulation, the applicable legislation HealthDCAT-AP asks for.</summary>
    public const string EhdsRegulation = "http://data.europa.eu/eli/reg/2025/327/oj";
}
