using System.Globalization;
using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Security;
using ImagingRepo.Service.Storage;
using Microsoft.Extensions.Options;
using static ImagingRepo.Service.Catalogue.Vocabulary;

namespace ImagingRepo.Service.Catalogue;

/// <summary>
/// The DCAT-AP descriptions of published datasets, one at a time or as pages of one <c>dcat:Catalog</c> with Hydra
/// paging links, for EUCAIM's public catalogue to harvest. Drafts, released but unpublished, invalidated and external
/// datasets are never described.
/// </summary>
internal sealed class CatalogueService(
    Database database,
    DatasetRepository datasets,
    CatalogueRepository catalogue,
    ProjectRepository projects,
    IOptions<CatalogueOptions> catalogueOptions,
    IOptions<ServiceOptions> serviceOptions)
{
    /// <summary>The description of one dataset; 404 when the user may not see it or it is not published.</summary>
    public Task<RdfGraph> DatasetAsync(PlatformUser user, string id, Uri apiBase, CancellationToken cancellationToken) =>
        database.ReadAsync(async session =>
        {
            var dataset = await datasets.GetAsync(session, id, false, cancellationToken).ConfigureAwait(false);
            if (dataset is null || !DatasetPermissions.CanView(user, dataset)) throw ServiceProblemException.NotFound($"No dataset '{id}'.");
            if (!IsListed(dataset))
            {
                throw ServiceProblemException.NotFound(
                    $"The dataset '{id}' is not published: only published, valid datasets have a DCAT-AP description (ask for application/json).");
            }

            var project = await projects.GetAsync(session, dataset.Project, cancellationToken).ConfigureAwait(false);
            var graph = new RdfGraph();
            DcatMapper.AddDataset(graph, dataset, project, apiBase, LandingPage(apiBase, dataset.Id));
            return graph;
        }, cancellationToken);

    /// <summary>One page of the catalogue: the catalogue node, its datasets on this page, and the page's paging links.</summary>
    public Task<CataloguePage> PageAsync(int? skip, int? limit, Uri apiBase, CancellationToken cancellationToken)
    {
        var options = catalogueOptions.Value;
        var s = skip ?? 0;
        var l = limit ?? options.DefaultPageSize;
        if (s < 0) throw ServiceProblemException.Invalid("'skip' must be 0 or more.");
        if (l < 1 || l > options.MaxPageSize) throw ServiceProblemException.Invalid($"'limit' must be between 1 and {options.MaxPageSize}.");
        return database.ReadAsync(async session =>
        {
            var (ids, total) = await catalogue.PageAsync(session, s, l, cancellationToken).ConfigureAwait(false);
            var records = (await datasets.GetManyAsync(session, ids, cancellationToken).ConfigureAwait(false)).ToDictionary(d => d.Id, StringComparer.Ordinal);
            var projectsByCode = (await projects.ListAsync(session, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Code, StringComparer.Ordinal);

            var graph = new RdfGraph();
            var root = RdfTerm.Iri(CatalogueIri(apiBase));
            graph.Add(root, RdfType, RdfTerm.Iri(Dcat + "Catalog"));
            graph.Add(root, RdfType, RdfTerm.Iri(Hydra + "Collection"));
            graph.AddText(root, Dct + "title", options.Title, "en");
            graph.AddText(root, Dct + "description", options.Description, "en");
            var publisher = graph.NewBlank();
            graph.Add(root, Dct + "publisher", publisher);
            graph.Add(publisher, RdfType, RdfTerm.Iri(Foaf + "Agent"));
            graph.AddText(publisher, Foaf + "name", options.PublisherName);
            if (options.PublisherUrl is { IsAbsoluteUri: true } home) graph.Add(publisher, Foaf + "homepage", RdfTerm.Iri(home.AbsoluteUri));
            graph.Add(root, Hydra + "totalItems", RdfTerm.Typed(total.ToString(CultureInfo.InvariantCulture), Xsd + "nonNegativeInteger"));

            var links = new PageLinks(
                PageIri(apiBase, s, l),
                PageIri(apiBase, 0, l),
                PageIri(apiBase, total == 0 ? 0 : (total - 1) / l * l, l),
                s + l < total ? PageIri(apiBase, s + l, l) : null,
                s > 0 ? PageIri(apiBase, Math.Max(0, s - l), l) : null);
            var view = RdfTerm.Iri(links.Self);
            graph.Add(root, Hydra + "view", view);
            graph.Add(view, RdfType, RdfTerm.Iri(Hydra + "PartialCollectionView"));
            graph.Add(view, Hydra + "first", RdfTerm.Iri(links.First));
            graph.Add(view, Hydra + "last", RdfTerm.Iri(links.Last));
            if (links.Next is { } next) graph.Add(view, Hydra + "next", RdfTerm.Iri(next));
            if (links.Previous is { } previous) graph.Add(view, Hydra + "previous", RdfTerm.Iri(previous));

            foreach (var id in ids)
            {
                if (!records.TryGetValue(id, out var dataset)) continue; // deleted between the two reads
                graph.Add(root, Dcat + "dataset", RdfTerm.Iri(DcatMapper.DatasetIri(apiBase, id)));
                DcatMapper.AddDataset(graph, dataset, projectsByCode.GetValueOrDefault(dataset.Project), apiBase, LandingPage(apiBase, id));
            }

            return new CataloguePage(graph, total, links);
        }, cancellationToken);
    }

    public static string CatalogueIri(Uri apiBase) => new Uri(apiBase, "api/catalogue").AbsoluteUri;

    private static string PageIri(Uri apiBase, int skip, int limit) =>
        new Uri(apiBase, string.Create(CultureInfo.InvariantCulture, $"api/catalogue?skip={skip}&limit={limit}")).AbsoluteUri;

    /// <summary>Published, valid and our own: what the catalogue describes.</summary>
    private static bool IsListed(DatasetRecord d) => d.Public && !d.Draft && !d.Invalidated && !d.External;

    /// <summary>The dataset's page on the platform (<c>DatasetLinkFormat</c>), relative links against the service's public base.</summary>
    private Uri LandingPage(Uri apiBase, string id)
    {
        var link = string.Format(CultureInfo.InvariantCulture, serviceOptions.Value.DatasetLinkFormat, Uri.EscapeDataString(id));
        return Uri.TryCreate(link, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https" ? absolute : new Uri(apiBase, link.TrimStart('/'));
    }
}

/// <summary>A catalogue page: its graph, how many datasets are listed in all, and its paging links.</summary>
internal sealed record CataloguePage(RdfGraph Graph, int Total, PageLinks Links);

/// <summary>The page's own address and its neighbours (null where there is none).</summary>
internal sealed record PageLinks(string Self, string First, string Last, string? Next, string? Previous);
