// Draws the network view with Cytoscape.js from the data the page carries in #network-data.
// The page lists the same records and links in tables, so it is complete without this drawing.
import cytoscape from '../cytoscape/cytoscape.esm.min.mjs'

const COLOURS = {
  child: '#1d70b8',
  person: '#d4351c',
  location: '#00703c',
  vehicle: '#4c2c92',
  business: '#f47738'
}
const SHAPES = {
  child: 'ellipse',
  person: 'diamond',
  location: 'round-rectangle',
  vehicle: 'rectangle',
  business: 'hexagon'
}

function elementsFrom (data) {
  const ids = new Set(data.nodes.map((node) => node.id))
  const nodes = data.nodes.map((node) => ({
    group: 'nodes',
    data: { id: node.id, label: node.label, kind: node.kind, url: node.url },
    classes: node.centre ? 'centre' : ''
  }))
  const edges = data.links
    .filter((link) => ids.has(link.source) && ids.has(link.target))
    .map((link) => ({
      group: 'edges',
      data: { id: link.id, source: link.source, target: link.target, label: link.typeLabel, grade: link.grade }
    }))
  return nodes.concat(edges)
}

function style () {
  const rules = [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        'font-family': 'arial, sans-serif',
        'font-size': 12,
        color: '#0b0c0c',
        'text-valign': 'bottom',
        'text-margin-y': 4,
        'text-wrap': 'wrap',
        'text-max-width': 120,
        width: 28,
        height: 28
      }
    },
    {
      selector: 'edge',
      style: {
        label: 'data(label)',
        'font-family': 'arial, sans-serif',
        'font-size': 10,
        color: '#0b0c0c',
        'text-rotation': 'autorotate',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.9,
        'text-background-padding': 2,
        'curve-style': 'bezier',
        width: 2,
        'line-color': '#505a5f'
      }
    },
    { selector: 'edge[grade $= "E"]', style: { 'line-style': 'dashed' } },
    { selector: 'node.centre', style: { width: 40, height: 40, 'border-width': 4, 'border-color': '#0b0c0c', 'font-weight': 'bold' } }
  ]
  for (const [kind, colour] of Object.entries(COLOURS)) {
    rules.push({ selector: `node[kind = "${kind}"]`, style: { 'background-color': colour, shape: SHAPES[kind] } })
  }
  return rules
}

function draw () {
  const container = document.getElementById('network')
  const source = document.getElementById('network-data')
  if (!container || !source) {
    return
  }
  const data = JSON.parse(source.textContent)
  const cy = cytoscape({
    container,
    elements: elementsFrom(data),
    style: style(),
    layout: {
      name: 'breadthfirst',
      roots: data.centre ? [data.centre] : undefined,
      circle: true,
      spacingFactor: 1.2,
      animate: false,
      padding: 20
    },
    minZoom: 0.2,
    maxZoom: 3
  })
  cy.on('tap', 'node', (event) => {
    const url = event.target.data('url')
    if (url) {
      window.location.assign(url)
    }
  })
  // For the tests, and anyone curious: what was drawn.
  container.dataset.nodes = String(cy.nodes().length)
  container.dataset.links = String(cy.edges().length)
}

draw()
