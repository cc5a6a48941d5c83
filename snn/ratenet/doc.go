// Package ratenet is a check of Cornford et al. 2021 where their claim should hold: small rate networks
// (ReLU units, no spikes) on Fashion-MNIST, one hidden layer, trained with plain SGD as the paper trains
// them (linclab/ltlwdp): an MLP, the paper's ColumnEI network and DANN with shunting inhibition. The
// paper reports that DANN learns as well as the MLP and ColumnEI worse.
//
// The E/I layer is the spiking network's: snn.ShuntNode (subtractive and divisive inhibition with its
// gain, bias and alpha), drawn with snn.DANNLayer and snn.DANNScale, snn.ShuntAlpha; only the
// nonlinearity (ReLU instead of LIF units) and the data differ. Models (Kinds), the data loader
// (LoadFashionMNIST, Debian's dataset-fashion-mnist), training (Train) and the plan of the comparison
// (Plan), fixed before its runs, are in their own files.
package ratenet
