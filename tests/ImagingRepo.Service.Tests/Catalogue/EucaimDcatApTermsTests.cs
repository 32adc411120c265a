using System.Text;
using ImagingRepo.Service.Catalogue;
using ImagingRepo.Service.Datasets;

namespace ImagingRepo.Service.Tests.Catalogue;

/// <summary>
/// The property IRIs of a dataset description are the ones the EUCAIM DCAT Application Profile v2.0 defines, written
/// out here in full, never taken from the service's own <see cref="Vocabulary"/>, so that a wrong namespace or name fails.
/// Source: github.com/EUCAIM/eucaim_dcat_ap, releases/v2.0/Dataset.md (the property tables: eucaim:hasImageModality,
/// eucaim:hasImageBodyPart, eucaim:hasEquipmentManufacturer, eucaim:hasBirthSex, eucaim:hasCondition,
/// healthdcatap:numberOfRecords "Number of Imaging Studies", healthdcatap:numberOfUniqueIndividuals,
/// healthdcatap:minTypicalAge/maxTypicalAge in years as xsd:nonNegativeInteger, dcatap:applicableLegislation with the
/// EHDS ELI, dcat:theme HEAL) and the Turtle prefixes of its examples (<c>eucaim:</c>
/// <c>https://hyperontology.eucaim.cancerimage.eu/#</c>). The HealthDCAT-AP namespace is the one of HealthDCAT-AP's
/// published SHACL shapes, <c>http://healthdataportal.eu/ns/health#</c> (EUCAIM's example file declares
/// <c>https://w3id.org/healthdcat-ap#</c> instead; docs/service.md records the disagreement).
/// </summary>
public sealed class EucaimDcatApTermsTests
{
    private const string Eucaim = "https://hyperontology.eucaim.cancerimage.eu/#";
    private const string HealthDcatAp = "http://healthdataportal.eu/ns/health#";
    private const string NonNegativeInteger = "http://www.w3.org/2001/XMLSchema#nonNegativeInteger";

    [SkippableFact]
    public void A_dataset_is_described_with_the_property_iris_of_eucaim_dcat_ap_v2()
    {
        var record = new DatasetRecord
        {
            Id = "3d2e1f00-0000-4000-8000-000000000001",
            Name = "Prostate MR",
            Version = "1.0",
            Project = "EUC",
            AuthorId = "a",
            AuthorName = "A",
            CreationDate = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            Description = "Prostate MR studies.",
            StudiesCount = 12,
            SubjectsCount = 7,
            Metadata = new DatasetMetadata
            {
                AgeLow = 51, AgeHigh = 78, AgeUnit = ["years", "years"],
                Sex = ["Male"], Diagnosis = ["Prostate cancer"], BodyPart = ["PROSTATE"], Modality = ["MR"], Manufacturer = ["Siemens"],
                DiagnosisYearLow = 2015, DiagnosisYearHigh = 2020,
            }.ToJson(),
        };
        var graph = new RdfGraph();
        var api = new Uri("https://repo.example.org/");
        var dataset = DcatMapper.AddDataset(graph, record, null, api, new Uri("https://repo.example.org/web/datasets/x"));

        var rdf = RdfCheck.Parse(TurtleWriter.Write(graph), Encoding.UTF8.GetString(JsonLdWriter.Write(graph)));
        Assert.True(rdf.Isomorphic, "Turtle and JSON-LD differ");
        var iri = dataset.Value;
        Assert.Equal([RdfValue.Text("MR")], rdf.Objects(iri, Eucaim + "hasImageModality"));
        Assert.Equal([RdfValue.Text("PROSTATE")], rdf.Objects(iri, Eucaim + "hasImageBodyPart"));
        Assert.Equal([RdfValue.Text("Siemens")], rdf.Objects(iri, Eucaim + "hasEquipmentManufacturer"));
        Assert.Equal([RdfValue.Text("Male")], rdf.Objects(iri, Eucaim + "hasBirthSex"));
        Assert.Equal([RdfValue.Text("Prostate cancer")], rdf.Objects(iri, Eucaim + "hasCondition"));
        Assert.Equal([RdfValue.Typed("12", NonNegativeInteger)], rdf.Objects(iri, HealthDcatAp + "numberOfRecords"));
        Assert.Equal([RdfValue.Typed("7", NonNegativeInteger)], rdf.Objects(iri, HealthDcatAp + "numberOfUniqueIndividuals"));
        Assert.Equal([RdfValue.Typed("51", NonNegativeInteger)], rdf.Objects(iri, HealthDcatAp + "minTypicalAge"));
        Assert.Equal([RdfValue.Typed("78", NonNegativeInteger)], rdf.Objects(iri, HealthDcatAp + "maxTypicalAge"));
        Assert.Equal([RdfValue.Iri("http://data.europa.eu/eli/reg/2025/327/oj")], rdf.Objects(iri, "http://data.europa.eu/r5r/applicableLegislation"));
        Assert.Equal([RdfValue.Iri("http://publications.europa.eu/resource/authority/data-theme/HEAL")], rdf.Objects(iri, "http://www.w3.org/ns/dcat#theme"));

        // No predicate of the invented namespace the service used before, none of the names EUCAIM does not define, and
        // no dct:temporal (EUCAIM's "Image Acquisition Period"; the years of diagnosis are not that).
        var predicates = rdf.Triples.Select(t => t.Predicate).Distinct(StringComparer.Ordinal).ToList();
        Assert.DoesNotContain(predicates, p => p.StartsWith("https://www.eucaim.org/", StringComparison.Ordinal));
        Assert.DoesNotContain(Eucaim + "hasImageVendor", predicates);
        Assert.DoesNotContain(Eucaim + "hasAssociatedSex", predicates);
        Assert.DoesNotContain("http://purl.org/dc/terms/temporal", predicates);
        string[] eucaimTerms = ["hasImageModality", "hasImageBodyPart", "hasEquipmentManufacturer", "hasBirthSex", "hasCondition"];
        Assert.All(predicates.Where(p => p.StartsWith(Eucaim, StringComparison.Ordinal)), p => Assert.Contains(p[Eucaim.Length..], eucaimTerms));
    }
}
