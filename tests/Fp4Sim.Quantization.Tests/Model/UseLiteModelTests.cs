using Fp4Sim.Quantization.Model;

namespace Fp4Sim.Quantization.Tests.Model;

/// <summary>Loads the real Universal Sentence Encoder Lite weights downloaded by <c>bash scripts/setup.sh</c>.</summary>
public sealed class UseLiteModelTests
{
    private const string Embeddings = "module/Embeddings_en";

    [Fact]
    public void Loads_every_weight_of_the_USE_Lite_model()
    {
        TensorSet set = TfjsWeights.Load(ModelTestFiles.RequireUseLiteDirectory());

        // One manifest group, 7 shards, 27,903,656 bytes: 35 float32 and 26 int32 weights.
        Assert.Equal(61, set.Count);
        NamedTensor[] floats = [.. set.Tensors.Where(tensor => tensor.DType == TensorDType.Float32)];
        Assert.Equal(35, floats.Length);
        Assert.Equal(26, set.Tensors.Count(tensor => tensor.DType == TensorDType.Int32));
        Assert.Equal(6_975_877L, floats.Sum(tensor => (long)tensor.ElementCount));
        Assert.Equal(27_903_656L, set.Tensors.Sum(tensor => tensor.ByteCount));

        // The embedding table straddles shards 5 to 7; its first and last values, read independently with Python's
        // struct module, pin the byte offset and the shard concatenation.
        float[] embeddings = set.GetFloat(Embeddings, 8002, 256);
        Assert.Equal(unchecked((int)0xBCB7418E), BitConverter.SingleToInt32Bits(embeddings[0]));
        Assert.Equal(unchecked((int)0xBC7F2F3E), BitConverter.SingleToInt32Bits(embeddings[1]));
        Assert.Equal(unchecked((int)0xBCAB7628), BitConverter.SingleToInt32Bits(embeddings[^1]));
        Assert.All(floats, tensor => Assert.True(tensor.Floats!.All(float.IsFinite), $"{tensor.Name} has a non-finite value"));

        const string perm = "module_apply_default/Encoder_en/KonaTransformer/Encode/TransformerStack/Layer_1/TransformerLayer/"
            + "MultiheadAttention/split_heads/transpose/perm";
        Assert.Equal([0, 2, 1, 3], set.GetInt(perm, 4));
    }
}
