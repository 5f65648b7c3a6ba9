from cmlx.nn.layers.activations import (CELU, ELU, GELU, GLU, SELU, HardShrink, Hardswish,
                                        HardTanh, LeakyReLU, LogSigmoid, LogSoftmax, Mish, PReLU,
                                        ReLU, ReLU2, ReLU6, Sigmoid, SiLU, Softmax, Softmin,
                                        Softplus, Softshrink, Softsign, Step, Tanh, celu, elu,
                                        gelu, gelu_approx, gelu_fast_approx, glu, hard_shrink,
                                        hard_tanh, hardswish, leaky_relu, log_sigmoid,
                                        log_softmax, mish, prelu, relu, relu2, relu6, selu,
                                        sigmoid, silu, softmax, softmin, softplus, softshrink,
                                        softsign, step, tanh)
from cmlx.nn.layers.base import Module
from cmlx.nn.layers.containers import Sequential
from cmlx.nn.layers.convolution import Conv1d, Conv2d, Conv3d
from cmlx.nn.layers.convolution_transpose import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from cmlx.nn.layers.dropout import Dropout, Dropout2d, Dropout3d
from cmlx.nn.layers.embedding import Embedding
from cmlx.nn.layers.linear import Bilinear, Identity, Linear
from cmlx.nn.layers.normalization import BatchNorm, GroupNorm, InstanceNorm, LayerNorm, RMSNorm
from cmlx.nn.layers.pooling import AvgPool1d, AvgPool2d, AvgPool3d, MaxPool1d, MaxPool2d, MaxPool3d
from cmlx.nn.layers.positional_encoding import ALiBi, RoPE, SinusoidalPositionalEncoding
from cmlx.nn.layers.quantized import QuantizedEmbedding, QuantizedLinear, quantize
from cmlx.nn.layers.recurrent import GRU, LSTM, RNN
from cmlx.nn.layers.transformer import (MultiHeadAttention, Transformer, TransformerDecoder,
                                        TransformerDecoderLayer, TransformerEncoder,
                                        TransformerEncoderLayer)
from cmlx.nn.layers.upsample import Upsample
