using System.Globalization;
using System.Text.RegularExpressions;
using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Projects;
using static ImagingRepo.Service.Catalogue.Vocabulary;

namespace ImagingRepo.Service.Catalogue;

/// <summary>
/// A published dataset as a EUCAIM DCAT-AP v2 / HealthDCAT-AP <c>dcat:Dataset</c>: identifier (our id, never
/// changed), title, description, version, keywords (tags), issued, publisher (the project), contact point, licence,
/// access rights, applicable legislation (EHDS), theme (health), provenance, the DOI and a custom pid as
/// <c>adms:identifier</c>, landing page, one distribution (processing in-situ on the platform), the number of records
/// (studies) and unique individuals (subjects), the typical age range, and EUCAIM's imaging facts (modality, body
/// part, equipment manufacturer, birth sex, condition) under the property IRIs of EUCAIM DCAT-AP v2.0.
/// </summary>
internal static partial class DcatMapper
{
    /// <summary>Adds the dataset's description to <paramref name="graph"/>; returns its node.</summary>
    public static RdfTerm AddDataset(RdfGraph graph, DatasetRecord d, ProjectRecord? project, Uri apiBase, Uri landingPage)
    {
        var m = DatasetMetadata.FromJson(d.Metadata);
        var dataset = RdfTerm.Iri(DatasetIri(apiBase, d.Id));
        graph.Add(dataset, RdfType, RdfTerm.Iri(Dcat + "Dataset"));
        graph.Add(dataset, Dct + "identifier", RdfTerm.Text(d.Id));
        graph.AddText(dataset, Dct + "title", d.Name, "en");
        graph.AddText(dataset, Dct + "description", d.Description.Length > 0 ? d.Description : d.Name, "en");
        graph.AddText(dataset, Dcat + "version", d.Version);
        graph.Add(dataset, Dct + "issued", RdfTerm.Typed(d.CreationDate.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), Xsd + "dateTime"));
        foreach (var tag in d.Tags) graph.AddText(dataset, Dcat + "keyword", tag, "en");
        graph.Add(dataset, Dcat + "theme", RdfTerm.Iri(ThemeHealth));
        graph.Add(dataset, Dct + "accessRights", RdfTerm.Iri(AccessRightRestricted));
        graph.Add(dataset, DcatAp + "applicableLegislation", RdfTerm.Iri(EhdsRegulation));
        graph.Add(dataset, Dcat + "landingPage", RdfTerm.Iri(landingPage.AbsoluteUri));

        var publisher = RdfTerm.Iri(new Uri(apiBase, "api/projects/" + Uri.EscapeDataString(d.Project)).AbsoluteUri);
        graph.Add(dataset, Dct + "publisher", publisher);
        graph.Add(publisher, RdfType, RdfTerm.Iri(Foaf + "Agent"));
        graph.AddText(publisher, Foaf + "name", project?.Name is { Length: > 0 } name ? name : d.Project);
        if (project?.ExternalUrl is { Length: > 0 } homepage && Uri.TryCreate(homepage, UriKind.Absolute, out var home)) graph.Add(publisher, Foaf + "homepage", RdfTerm.Iri(home.AbsoluteUri));

        if (d.ContactInfo.Length > 0)
        {
            var contact = graph.NewBlank();
            graph.Add(dataset, Dcat + "contactPoint", contact);
            graph.Add(contact, RdfType, RdfTerm.Iri(Vcard + "Kind"));
            graph.AddText(contact, Vcard + "fn", d.ContactInfo);
            if (Email().Match(d.ContactInfo) is { Success: true } email) graph.Add(contact, Vcard + "hasEmail", RdfTerm.Iri("mailto:" + email.Value));
        }

        RdfTerm? license = null;
        if (Uri.TryCreate(d.LicenseUrl, UriKind.Absolute, out var licenseUrl))
        {
            license = RdfTerm.Iri(licenseUrl.AbsoluteUri);
            graph.Add(dataset, Dct + "license", license.Value);
            graph.Add(license.Value, RdfType, RdfTerm.Iri(Dct + "LicenseDocument"));
            graph.AddText(license.Value, Rdfs + "label", d.LicenseTitle);
        }

        if (d.Provenance.Length > 0)
        {
            var provenance = graph.NewBlank();
            graph.Add(dataset, Dct + "provenance", provenance);
            graph.Add(provenance, RdfType, RdfTerm.Iri(Dct + "ProvenanceStatement"));
            graph.AddText(provenance, Rdfs + "label", d.Provenance, "en");
        }

        AddIdentifier(graph, dataset, d.PidZenodoDoi, "DOI");
        AddIdentifier(graph, dataset, d.PidCustom, null);

        var distribution = graph.NewBlank();
        graph.Add(dataset, Dcat + "distribution", distribution);
        graph.Add(distribution, RdfType, RdfTerm.Iri(Dcat + "Distribution"));
        graph.AddText(distribution, Dct + "title", "Processing in-situ on the platform (the images are not downloaded)", "en");
        graph.Add(distribution, Dcat + "accessURL", RdfTerm.Iri(landingPage.AbsoluteUri));
        graph.Add(distribution, Dct + "accessRights", RdfTerm.Iri(AccessRightRestricted));
        if (license is { } l) graph.Add(distribution, Dct + "license", l);
        if (d.SizeInBytes is { } size) graph.Add(distribution, Dcat + "byteSize", RdfTerm.Typed(size.ToString(CultureInfo.InvariantCulture), Xsd + "nonNegativeInteger"));

        graph.Add(dataset, HealthDcatAp + "numberOfRecords", Count(d.StudiesCount));
        graph.Add(dataset, HealthDcatAp + "numberOfUniqueIndividuals", Count(d.SubjectsCount));
        if (m.AgeLow is { } low && m.AgeHigh is { } high && m.AgeUnit.Count == 2 && m.AgeUnit.All(u => u == "years"))
        {
            graph.Add(dataset, HealthDcatAp + "minTypicalAge", Count(low));
            graph.Add(dataset, HealthDcatAp + "maxTypicalAge", Count(high));
        }

        // EUCAIM DCAT-AP v2.0 names the imaging facts with these properties; it asks for EUCAIM hyper-ontology concepts
        // as values, and the service only knows the DICOM/MIABIS words, so they are written as plain literals
        // (docs/service.md says so). The years of diagnosis are not written as dct:temporal: there it means the image
        // acquisition period, which the service does not collect.
        foreach (var value in m.Modality) graph.AddText(dataset, EucaimTerms + "hasImageModality", value);
        foreach (var value in m.BodyPart) graph.AddText(dataset, EucaimTerms + "hasImageBodyPart", value);
        foreach (var value in m.Manufacturer) graph.AddText(dataset, EucaimTerms + "hasEquipmentManufacturer", value);
        foreach (var value in m.Sex) graph.AddText(dataset, EucaimTerms + "hasBirthSex", value);
        foreach (var value in m.Diagnosis) graph.AddText(dataset, EucaimTerms + "hasCondition", value);
        return dataset;
    }

    /// <summary>The dataset's IRI: its API address, which answers in DCAT-AP when asked.</summary>
    public static string DatasetIri(Uri apiBase, string id) => new Uri(apiBase, "api/datasets/" + Uri.EscapeDataString(id)).AbsoluteUri;

    private static void AddIdentifier(RdfGraph graph, RdfTerm dataset, string? value, string? scheme)
    {
        if (string.IsNullOrEmpty(value)) return;
        var identifier = graph.NewBlank();
        graph.Add(dataset, Adms + "identifier", identifier);
        graph.Add(identifier, RdfType, RdfTerm.Iri(Adms + "Identifier"));
        graph.Add(identifier, Skos + "notation", RdfTerm.Typed(value, Xsd + "anyURI"));
        if (scheme is not null) graph.AddText(identifier, Adms + "schemaAgency", scheme);
    }

    private static RdfTerm Count(int value) => RdfTerm.Typed(Math.Max(0, value).ToString(CultureInfo.InvariantCulture), Xsd + "nonNegativeInteger");

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Email();
}
