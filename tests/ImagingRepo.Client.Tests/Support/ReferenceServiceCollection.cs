namespace ImagingRepo.Client.Tests.Support;

/// <summary>The tests that share one reference service process.</summary>
[CollectionDefinition(Name)]
public sealed class ReferenceServiceCollection : ICollectionFixture<ReferenceService>
{
    public const string Name = "reference service";
}
