using System.ComponentModel.DataAnnotations;

namespace ImagingRepo.Service.Catalogue;

/// <summary>The public DCAT-AP catalogue (section <c>ImagingRepo:Service:Catalogue</c>).</summary>
internal sealed class CatalogueOptions
{
    public const string SectionName = "ImagingRepo:Service:Catalogue";

    [Required]
    [MaxLength(256)]
    public string Title { get; set; } = "ImagingRepo imaging datasets";

    [MaxLength(4096)]
    public string Description { get; set; } = "The published imaging datasets of this node, processed in-situ on its platform.";

    /// <summary>Who publishes the catalogue (the node's institution).</summary>
    [Required]
    [MaxLength(256)]
    public string PublisherName { get; set; } = "ImagingRepo node";

    /// <summary>The publisher's home page, or null.</summary>
    public Uri? PublisherUrl { get; set; }

    /// <summary>Datasets per page when the harvester does not say.</summary>
    [Range(1, 1000)]
    public int DefaultPageSize { get; set; } = 50;

    /// <summary>The largest page a harvester may ask for.</summary>
    [Range(1, 1000)]
    public int MaxPageSize { get; set; } = 500;
}
