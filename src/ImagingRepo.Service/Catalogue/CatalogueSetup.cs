using ImagingRepo.Service.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImagingRepo.Service.Catalogue;

/// <summary>Registers the DCAT-AP catalogue.</summary>
internal static class CatalogueSetup
{
    public static IServiceCollection AddServiceCatalogue(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CatalogueOptions>().Bind(configuration.GetSection(CatalogueOptions.SectionName)).ValidateDataAnnotations()
            .Validate(o => o.DefaultPageSize <= o.MaxPageSize, "ImagingRepo:Service:Catalogue:DefaultPageSize must not exceed MaxPageSize")
            .ValidateOnStart();
        services.AddSingleton<CatalogueRepository>();
        services.AddSingleton<CatalogueService>();
        return services;
    }
}
